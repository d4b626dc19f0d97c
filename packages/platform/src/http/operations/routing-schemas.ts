import { z } from 'zod';
import { timestampSchema } from '../openapi/index.ts';

/** The response schemas of GET/POST /v1/routing/explain and GET /v1/providers/health, with examples. */

const breakerStateSchema = z.enum(['closed', 'half-open', 'open']);

const candidateSchema = z
  .object({
    deployment: z.string().describe('The model deployment (`provider/model`).'),
    group: z.string().describe('The routing group the candidate comes from.'),
    fallback_depth: z.number().int().describe('0 for the requested group, 1 for its first fallback, …'),
    provider: z.string(),
    context_window: z.number().int(),
    breaker_state: z.union([breakerStateSchema, z.literal('unknown')]),
    price_per_million: z
      .object({ input: z.string(), output: z.string() })
      .nullable()
      .describe('US dollars per million input and output tokens (exact decimal text); null when unpriced.'),
  })
  .meta({ id: 'RouteCandidate', description: 'One deployment a request may reach, in the order tried.' });

const decisionSchema = z
  .object({
    complexity: z.number().describe('The prompt complexity score the `auto` policy computed.'),
    features: z
      .object({
        promptTokens: z.number().int(),
        hasCode: z.boolean(),
        reasoningCues: z.number().int(),
        toolCount: z.number().int(),
        turns: z.number().int(),
      })
      .describe('The features behind the score (camelCase, as the router names them).'),
    plan: z.string().nullable().describe("The organisation's plan, when a rule depends on it."),
    cost_preference: z.enum(['cost', 'balanced', 'quality']),
    matched_rule: z.string(),
    target: z.string().describe('The group the rule chose.'),
  })
  .meta({ id: 'RoutingDecision', description: 'Why `auto` chose its target.' });

export const routingExplanationSchema = z
  .object({
    object: z.literal('routing.explanation'),
    requested_model: z.string(),
    group: z.string().describe('The group the request resolved to (for `auto`, the policy’s target).'),
    strategy: z.string(),
    decision: decisionSchema.nullable().describe('For `auto` only; null otherwise.'),
    candidates: z.array(candidateSchema),
    context_window_fallback: z.string().nullable(),
    content_policy_fallback: z.string().nullable(),
  })
  .meta({
    id: 'RoutingExplanation',
    description: 'The route a request would take: a dry run, no provider is called.',
  });

export const routingExplanationExample = {
  object: 'routing.explanation',
  requested_model: 'sim/fast',
  group: 'sim/fast',
  strategy: 'weighted',
  decision: null,
  candidates: [
    {
      deployment: 'sim/fast',
      group: 'sim/fast',
      fallback_depth: 0,
      provider: 'sim',
      context_window: 128000,
      breaker_state: 'closed',
      price_per_million: { input: '0.1', output: '0.4' },
    },
  ],
  context_window_fallback: null,
  content_policy_fallback: null,
} satisfies z.output<typeof routingExplanationSchema>;

const deploymentHealthSchema = z
  .object({
    deployment: z.string(),
    provider: z.string(),
    kind: z.enum(['chat', 'embedding']),
    breaker: z.union([
      z.object({
        state: breakerStateSchema,
        requests_in_window: z.number().int(),
        failures_in_window: z.number().int(),
        open_until: timestampSchema.nullable(),
      }),
      z.object({ state: z.literal('unknown') }),
    ]),
    in_flight: z.number().int().describe('Calls in progress on this replica.'),
    requests: z.number().int().describe('Calls started since this process began.'),
    error_ratio: z
      .number()
      .nullable()
      .describe('Failed calls among the calls that ended in the last `window_seconds`; null when none did.'),
    window_seconds: z.number(),
    calls_in_window: z.number().int(),
    failures_in_window: z.number().int(),
    error_rate: z.number().nullable().describe('The same as `error_ratio`, kept for older clients.'),
    error_rate_ewma: z
      .number()
      .nullable()
      .describe('The smoothed failure rate routing steers by (starts from 0: reads low with few calls).'),
    latency_ms: z.number().nullable(),
  })
  .meta({ id: 'DeploymentHealth' });

const routingGroupSchema = z
  .object({
    name: z.string(),
    source: z.enum(['built-in', 'config']),
    description: z.string().nullable(),
    strategy: z.string(),
    kind: z.enum(['chat', 'embedding']).nullable(),
    available: z.boolean().describe('False when no deployment is available: requests naming it get 404.'),
    routesLikeAuto: z.boolean(),
    deployments: z.array(
      z.object({ model: z.string(), weight: z.number(), contextWindow: z.number().int() }),
    ),
    fallbacks: z.array(z.string()),
    contextWindowFallback: z.string().nullable(),
    contentPolicyFallback: z.string().nullable(),
  })
  .meta({ id: 'RoutingGroup', description: 'A routing group as the router lists it (camelCase fields).' });

export const providersHealthSchema = z
  .object({
    object: z.literal('providers.health'),
    deployments: z.array(deploymentHealthSchema),
    groups: z.array(routingGroupSchema),
  })
  .meta({
    id: 'ProvidersHealth',
    description: "Each deployment's breaker, recent error ratio and latency as this replica sees them.",
  });

export const providersHealthExample = {
  object: 'providers.health',
  deployments: [
    {
      deployment: 'sim/fast',
      provider: 'sim',
      kind: 'chat',
      breaker: { state: 'closed', requests_in_window: 4, failures_in_window: 0, open_until: null },
      in_flight: 0,
      requests: 4,
      error_ratio: 0,
      window_seconds: 60,
      calls_in_window: 4,
      failures_in_window: 0,
      error_rate: 0,
      error_rate_ewma: 0,
      latency_ms: 12,
    },
  ],
  groups: [
    {
      name: 'fast',
      source: 'config',
      description: null,
      strategy: 'weighted',
      kind: 'chat',
      available: true,
      routesLikeAuto: false,
      deployments: [{ model: 'sim/fast', weight: 1, contextWindow: 128000 }],
      fallbacks: [],
      contextWindowFallback: null,
      contentPolicyFallback: null,
    },
  ],
} satisfies z.output<typeof providersHealthSchema>;
