import { z } from 'zod';

const modelOrGroup = z.string().min(1);
const positiveMs = z.number().int().min(1).max(3_600_000);

const retrySchema = z
  .object({
    max_attempts: z.number().int().min(1).max(10).default(2),
    base_delay_ms: z.number().int().min(0).max(60_000).default(100),
    max_delay_ms: z.number().int().min(0).max(300_000).default(5000),
  })
  .strict();

const breakerSchema = z
  .object({
    window_ms: positiveMs.default(30_000),
    minimum_requests: z.number().int().min(1).default(20),
    failure_ratio: z.number().min(0.01).max(1).default(0.5),
    cooldown_ms: positiveMs.default(15_000),
    half_open_probes: z.number().int().min(1).max(100).default(2),
  })
  .strict();

const timeoutsSchema = z
  .object({
    first_token_ms: positiveMs.default(60_000),
    total_ms: positiveMs.default(600_000),
  })
  .strict();

/** Per-deployment settings, keyed by model id; unset fields take `defaults`. */
const deploymentSchema = z
  .object({
    rpm: z.number().int().min(1).optional(),
    tpm: z.number().int().min(1).optional(),
    timeouts: timeoutsSchema.partial().optional(),
    retry: retrySchema.partial().optional(),
  })
  .strict();

export const routingStrategies = ['weighted', 'least-in-flight', 'lowest-latency', 'lowest-cost'] as const;

const groupSchema = z
  .object({
    strategy: z.enum(routingStrategies).default('weighted'),
    deployments: z
      .array(z.object({ model: modelOrGroup, weight: z.number().min(0).max(1_000_000).default(1) }).strict())
      .min(1),
    /** Groups (or model ids) tried in order when every deployment here failed; unset = defaults.fallbacks. */
    fallbacks: z.array(modelOrGroup).optional(),
    context_window_fallback: modelOrGroup.optional(),
    content_policy_fallback: modelOrGroup.optional(),
  })
  .strict();

const costPreference = z.enum(['cost', 'balanced', 'quality']);

const ruleSchema = z
  .object({
    name: z.string().min(1),
    when: z
      .object({
        complexity_above: z.number().min(0).max(1).optional(),
        complexity_below: z.number().min(0).max(1).optional(),
        plan_in: z.array(z.string().min(1)).min(1).optional(),
        context_tokens_above: z.number().int().min(0).optional(),
        cost_preference: costPreference.optional(),
        has_tools: z.boolean().optional(),
      })
      .strict(),
    target: modelOrGroup,
  })
  .strict();

const defaultsSchema = z
  .object({
    retry: retrySchema.default(retrySchema.parse({})),
    retry_budget: z
      .object({
        ratio: z.number().min(0).max(10).default(0.2),
        minimum_per_second: z.number().min(0).max(10_000).default(10),
        window_ms: positiveMs.default(10_000),
      })
      .strict()
      .default({ ratio: 0.2, minimum_per_second: 10, window_ms: 10_000 }),
    breaker: breakerSchema.default(breakerSchema.parse({})),
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    /** The chain for groups that name none: by default the spec's Azure OpenAI → Anthropic → Together → Moonshot. */
    fallbacks: z
      .array(modelOrGroup)
      .default(['azure-default', 'anthropic-default', 'together-default', 'moonshot-default']),
    /** Whether a request naming an exact `provider/model` may fall back to other models. */
    fallback_explicit_models: z.boolean().default(false),
  })
  .strict();

export const routingConfigSchema = z
  .object({
    defaults: defaultsSchema.default(() => defaultsSchema.parse({})),
    deployments: z.record(z.string().min(1), deploymentSchema).default({}),
    /** Named groups: the public names clients use (e.g. `gpt-4o`), each over several deployments. */
    groups: z.record(z.string().min(1), groupSchema).default({}),
    /** The virtual model `auto`: rules in order, first match wins; targets are groups or model ids. */
    auto: z
      .object({
        rules: z.array(ruleSchema).optional(),
        default_target: modelOrGroup.default('balanced'),
      })
      .strict()
      .default({ default_target: 'balanced' }),
  })
  .strict();

export type RoutingConfig = z.infer<typeof routingConfigSchema>;
export type RoutingGroupConfig = z.infer<typeof groupSchema>;
export type RoutingRule = z.infer<typeof ruleSchema>;
export type RoutingStrategy = (typeof routingStrategies)[number];
export type CostPreference = z.infer<typeof costPreference>;
