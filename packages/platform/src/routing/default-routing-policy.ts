import type { RoutingRule } from './routing-config-schema.ts';

/**
 * A built-in routing group: a preference list of model ids of which the first available one
 * serves the group, so the defaults work with whatever providers are configured, down to the
 * simulated ones. An entry `provider/*` stands for that provider's first chat model (Azure
 * deployments are named by each operator, so no fixed id can name them).
 */
export interface BuiltInRoutingGroup {
  description: string;
  preference: readonly string[];
  /** Group tried when a deployment refuses the prompt as too long; null for none. */
  contextWindowFallback: string | null;
  /** Group tried when a deployment refuses on content policy; null for none. */
  contentPolicyFallback: string | null;
}

/**
 * The built-in groups. A config group of the same name replaces one entirely. Ids and context
 * windows are those of the provider catalogs (moonshot-models.ts, openai-models.ts,
 * anthropic-models.ts, together-models.ts) and of the simulated provider's default models.
 */
export const builtInRoutingGroups: Readonly<Record<string, BuiltInRoutingGroup>> = {
  strongest: {
    description: 'The most capable model available, for the hardest requests.',
    preference: [
      'anthropic/claude-opus-5-5',
      'openai/gpt-4.1',
      'moonshot/kimi-k3',
      'anthropic/claude-sonnet-5-5',
      'openai/gpt-4o',
      'azure/*',
      'sim/smart',
    ],
    contextWindowFallback: 'long-context',
    contentPolicyFallback: null,
  },
  'gpt-4-class': {
    description: 'A GPT-4-class model, for premium plans.',
    preference: [
      'openai/gpt-4o',
      'openai/gpt-4.1',
      'anthropic/claude-sonnet-5-5',
      'moonshot/kimi-k2.6',
      'azure/*',
      'sim/smart',
    ],
    contextWindowFallback: 'long-context',
    contentPolicyFallback: null,
  },
  'long-context': {
    description: 'The largest context window available (Kimi first), for prompts over 100k tokens.',
    preference: [
      // 1,048,576 tokens
      'moonshot/kimi-k3',
      // 1,047,576 tokens
      'openai/gpt-4.1',
      // 1,000,000 tokens
      'anthropic/claude-sonnet-5-5',
      'moonshot/kimi-k2.6',
      'azure/*',
      // 200,000 tokens
      'sim/smart',
    ],
    contextWindowFallback: null,
    contentPolicyFallback: null,
  },
  economy: {
    description: 'The cheapest capable model (Llama on Together first), for cost-optimised requests.',
    preference: [
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'together/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
      'openai/gpt-4o-mini',
      'moonshot/kimi-k2.6',
      'azure/*',
      'sim/mini',
    ],
    contextWindowFallback: 'long-context',
    contentPolicyFallback: null,
  },
  balanced: {
    description: 'A good default of quality against cost.',
    preference: [
      'openai/gpt-4o-mini',
      'anthropic/claude-sonnet-5-5',
      'moonshot/kimi-k2.6',
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'azure/*',
      'sim/fast',
    ],
    contextWindowFallback: 'long-context',
    contentPolicyFallback: null,
  },
  // The spec's default fallback chain, Azure OpenAI → Anthropic → Together AI → Moonshot: one group
  // per provider, empty (and skipped) where the provider is not configured.
  'azure-default': {
    description: 'The first Azure OpenAI chat deployment.',
    preference: ['azure/*'],
    contextWindowFallback: null,
    contentPolicyFallback: null,
  },
  'anthropic-default': {
    description: "Anthropic's default model.",
    preference: ['anthropic/claude-sonnet-5-5', 'anthropic/*'],
    contextWindowFallback: null,
    contentPolicyFallback: null,
  },
  'together-default': {
    description: "Together AI's default model.",
    preference: ['together/meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together/*'],
    contextWindowFallback: null,
    contentPolicyFallback: null,
  },
  'moonshot-default': {
    description: "Moonshot's (Kimi's) default model.",
    preference: ['moonshot/kimi-k3', 'moonshot/*'],
    contextWindowFallback: null,
    contentPolicyFallback: null,
  },
};

/**
 * The default policy of the virtual model `auto`, in order, first match wins; no match goes to
 * `routing.auto.default_target` (default `balanced`). `routing.auto.rules` replaces these rules.
 */
export const defaultAutoRules: readonly RoutingRule[] = [
  { name: 'complex', when: { complexity_above: 0.8 }, target: 'strongest' },
  { name: 'premium-plan', when: { plan_in: ['premium', 'enterprise'] }, target: 'gpt-4-class' },
  { name: 'long-context', when: { context_tokens_above: 100_000 }, target: 'long-context' },
  { name: 'cost-optimised', when: { cost_preference: 'cost' }, target: 'economy' },
];

/** The name `decision.matchedRule` carries when no rule matched. */
export const defaultRuleName = 'default';

/** The virtual model routed by the `auto` policy. */
export const autoModelName = 'auto';
