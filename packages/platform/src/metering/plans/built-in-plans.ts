import type { PlanDefinition } from './plan-types.ts';

/*
 * The spec's tiers, mapped onto our catalogs (providers/*-models.ts) and the built-in routing
 * groups (routing/default-routing-policy.ts). No catalog still offers GPT-3.5, so:
 * - "GPT-3.5-class" is the small, cheap tier: gpt-4o-mini (OpenAI's named successor to
 *   gpt-3.5-turbo) and gpt-4.1-mini, Llama 3.1 8B and 3.3 70B on Together (both ≤ $0.88 per 1M
 *   tokens), Claude Haiku 4.5, and the `economy` group, whose every member is in that price band.
 *   `balanced` is left out on purpose: it falls back to Claude Sonnet when OpenAI is not configured.
 * - "GPT-4-class" is the `gpt-4-class` and `balanced` groups and everything they can reach
 *   (all of OpenAI, Claude Sonnet, Kimi K2.6, Azure deployments, the rest of Together).
 * - "Claude Opus-class" adds the `strongest` and `long-context` groups, all of Anthropic (Opus
 *   5.5) and all of Moonshot (Kimi K3).
 * The simulated models are free and allowed on every plan.
 */

const gpt35Class = [
  'sim/*',
  'openai/gpt-4o-mini',
  'openai/gpt-4.1-mini',
  'together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
  'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
  'anthropic/claude-haiku-4-5-20251001',
  'economy',
];

const gpt4Class = [
  ...gpt35Class,
  'gpt-4-class',
  'balanced',
  'openai/*',
  'together/*',
  'azure/*',
  'anthropic/claude-sonnet-5-5',
  'moonshot/kimi-k2.6',
];

const opusClass = [...gpt4Class, 'strongest', 'long-context', 'anthropic/*', 'moonshot/*'];

/**
 * Knowledge limits: Free holds 100 documents of up to 5 MB (5,000 chunks), Basic 10,000 (500,000
 * chunks), Premium 100,000 (5 million chunks); files stop at the platform's 25 MB upload cap.
 * Rate limits grow about tenfold per tier. The implicit monthly budget (the cap on provider cost
 * when an organisation sets no budget of its own) equals the plan's price, so a plan's upstream
 * spend cannot exceed what it pays; Free gets $1, far above 100 small-model requests.
 */
export const builtInPlans: readonly PlanDefinition[] = [
  {
    id: 'free',
    name: 'Free',
    rank: 0,
    monthlyPriceUsd: '0',
    monthlyRequestQuota: 100,
    allowedModels: gpt35Class,
    rateLimits: { requestsPerMinute: 10, tokensPerMinute: 10_000, concurrentRequests: 2 },
    monthlyBudgetUsd: '1',
    maxAgentsPerRun: 3,
    knowledgeMaxFileBytes: 5 * 1024 * 1024,
    knowledgeMaxDocuments: 100,
    knowledgeMaxChunks: 5_000,
  },
  {
    id: 'basic',
    name: 'Basic',
    rank: 1,
    monthlyPriceUsd: '49',
    monthlyRequestQuota: 10_000,
    allowedModels: gpt4Class,
    rateLimits: { requestsPerMinute: 60, tokensPerMinute: 200_000, concurrentRequests: 10 },
    monthlyBudgetUsd: '49',
    maxAgentsPerRun: 10,
    knowledgeMaxFileBytes: 25 * 1024 * 1024,
    knowledgeMaxDocuments: 10_000,
    knowledgeMaxChunks: 500_000,
  },
  {
    id: 'premium',
    name: 'Premium',
    rank: 2,
    monthlyPriceUsd: '249',
    monthlyRequestQuota: 100_000,
    allowedModels: opusClass,
    rateLimits: { requestsPerMinute: 600, tokensPerMinute: 2_000_000, concurrentRequests: 50 },
    monthlyBudgetUsd: '249',
    maxAgentsPerRun: 50,
    knowledgeMaxFileBytes: 25 * 1024 * 1024,
    knowledgeMaxDocuments: 100_000,
    knowledgeMaxChunks: 5_000_000,
  },
  {
    id: 'enterprise',
    name: 'Enterprise',
    rank: 3,
    monthlyPriceUsd: null,
    monthlyRequestQuota: null,
    allowedModels: null,
    rateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
    monthlyBudgetUsd: null,
    maxAgentsPerRun: null,
    knowledgeMaxFileBytes: null,
    knowledgeMaxDocuments: null,
    knowledgeMaxChunks: null,
  },
];

/** True for the ids of the built-in plans, which cannot be deleted (start-up would recreate them). */
export function isBuiltInPlanId(id: string): boolean {
  return builtInPlans.some((plan) => plan.id === id);
}
