import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { estimatePromptTokens, planForCaller } from '../../gateway/index.ts';
import { picoUsdToDecimal } from '../../metering/index.ts';
import { chatCompletionRequestSchema, convertChatRequest } from '../../platform/wire/index.ts';
import type { DeploymentHealth, RouteCandidate, RoutePlan } from '../../routing/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import { routingHints } from '../routing-headers.ts';
import {
  providersHealthExample,
  providersHealthSchema,
  routingExplanationExample,
  routingExplanationSchema,
} from './routing-schemas.ts';

const explainQuerySchema = z.strictObject({
  model: z.string().min(1).describe('A model, alias, routing group or `auto`.'),
  prompt: z
    .string()
    .default('')
    .describe('The user message to plan for (it feeds `auto`’s complexity score).'),
});

const tag = 'Routing';

type Explanation = z.output<typeof routingExplanationSchema>;

async function describeCandidate(
  context: RouteContext,
  candidate: RouteCandidate,
): Promise<Explanation['candidates'][number]> {
  const deployment = candidate.model.publicId;
  const price = context.prices.priceFor(deployment);
  const breaker = await context.routing.breakers.snapshot(deployment).catch(() => null);
  return {
    deployment,
    group: candidate.group,
    fallback_depth: candidate.fallbackDepth,
    provider: candidate.model.provider.name,
    context_window: candidate.model.descriptor.contextWindow,
    breaker_state: breaker?.state ?? 'unknown',
    price_per_million: price
      ? {
          input: picoUsdToDecimal(price.inputPicoUsd * 1_000_000n),
          output: picoUsdToDecimal(price.outputPicoUsd * 1_000_000n),
        }
      : null,
  };
}

async function explanation(context: RouteContext, plan: RoutePlan): Promise<Explanation> {
  return {
    object: 'routing.explanation',
    requested_model: plan.requestedModel,
    group: plan.group,
    strategy: plan.strategy,
    decision: plan.decision && {
      complexity: plan.decision.complexity,
      features: plan.decision.features,
      plan: plan.decision.plan,
      cost_preference: plan.decision.costPreference,
      matched_rule: plan.decision.matchedRule,
      target: plan.decision.target,
    },
    candidates: await Promise.all(plan.candidates.map((candidate) => describeCandidate(context, candidate))),
    context_window_fallback: plan.contextWindowFallback,
    content_policy_fallback: plan.contentPolicyFallback,
  };
}

/**
 * The error fields of a health row: `error_ratio`, the share of failed calls among the calls that
 * ended in the last `window_seconds` (null when there were none), with those counts; `error_rate`,
 * kept for older clients, is the same ratio; `error_rate_ewma` is the smoothed rate routing steers
 * by, which starts from 0 and so reads low for a deployment with few calls.
 */
function recentErrors(seen: DeploymentHealth | undefined, windowMs: number) {
  const calls = seen?.recent.calls ?? 0;
  const failures = seen?.recent.failures ?? 0;
  const ratio = calls === 0 ? null : failures / calls;
  return {
    error_ratio: ratio,
    window_seconds: windowMs / 1000,
    calls_in_window: calls,
    failures_in_window: failures,
    error_rate: ratio,
    error_rate_ewma: seen?.errorRateEwma ?? null,
  };
}

/**
 * GET/POST /v1/routing/explain: the route a request would take (a dry run, no provider is called),
 * and GET /v1/providers/health: each deployment's breaker, recent error ratio and latency.
 */
export function registerRoutingRoutes(app: FastifyInstance, context: RouteContext): void {
  const explain = (
    request: FastifyRequest,
    modelName: string,
    chat: Parameters<typeof estimatePromptTokens>[0],
  ) =>
    explanation(
      context,
      planForCaller(context.routing.current(), callerOf(request), {
        modelName,
        request: chat,
        promptTokens: estimatePromptTokens(chat),
        costPreference: routingHints(request).costPreference ?? 'balanced',
        kind: 'chat',
      }),
    );

  const explainResponses = {
    200: {
      description: 'The plan: the group, the strategy, the ordered candidates and, for `auto`, the decision.',
      schema: routingExplanationSchema,
      example: routingExplanationExample,
    },
  };
  const explainDescription =
    'A dry run: no provider is called and nothing is billed. The `x-kimi-cost-preference` header (`cost`, `balanced`, `quality`) steers `auto` as it does for real requests; the key’s model allowlist applies.';

  app.get(
    '/v1/routing/explain',
    requires('models:read', {
      operationId: 'explainRoute',
      summary: 'Explain the route a prompt would take',
      description: explainDescription,
      tag,
      query: explainQuerySchema,
      responses: explainResponses,
      errors: [404],
    }),
    async (request) => {
      const query = parseWith(explainQuerySchema, request.query);
      return explain(request, query.model, { messages: [{ role: 'user' as const, content: query.prompt }] });
    },
  );

  app.post(
    '/v1/routing/explain',
    requires('models:read', {
      operationId: 'explainChatCompletionRoute',
      summary: 'Explain the route a chat completion request would take',
      description: `${explainDescription} The body is a chat completion request, as POST /v1/chat/completions takes it.`,
      tag,
      body: chatCompletionRequestSchema,
      bodyExample: {
        model: 'sim/fast',
        messages: [{ role: 'user', content: 'Write a haiku about routers.' }],
      },
      responses: explainResponses,
      errors: [404],
    }),
    async (request) => {
      const body = parseWith(chatCompletionRequestSchema, request.body);
      return explain(request, body.model, convertChatRequest(body));
    },
  );

  app.get(
    '/v1/providers/health',
    requires('models:read', {
      operationId: 'getProvidersHealth',
      summary: "Each deployment's breaker state, recent error ratio and latency",
      description:
        'As this replica sees them: breakers are shared across replicas when a key-value store is configured, the counters are per process.',
      tag,
      responses: {
        200: {
          description: 'Deployments and routing groups.',
          schema: providersHealthSchema,
          example: providersHealthExample,
        },
      },
    }),
    async (request): Promise<z.output<typeof providersHealthSchema>> => {
      callerOf(request);
      const statistics = new Map(context.routing.stats.snapshot().map((entry) => [entry.deployment, entry]));
      const deployments = await Promise.all(
        context.catalog.list().map(async ({ descriptor }) => {
          const breaker = await context.routing.breakers.snapshot(descriptor.id).catch(() => null);
          const seen = statistics.get(descriptor.id);
          return {
            deployment: descriptor.id,
            provider: descriptor.provider,
            kind: descriptor.kind,
            breaker: breaker
              ? {
                  state: breaker.state,
                  requests_in_window: breaker.requests,
                  failures_in_window: breaker.failures,
                  open_until: breaker.openUntil === null ? null : new Date(breaker.openUntil).toISOString(),
                }
              : { state: 'unknown' as const },
            in_flight: seen?.inFlight ?? 0,
            requests: seen?.requests ?? 0,
            ...recentErrors(seen, context.routing.stats.recentWindowMs),
            latency_ms: seen?.latencyMs ?? null,
          };
        }),
      );
      return {
        object: 'providers.health',
        deployments,
        groups: context.routing.current().router.groups(),
      };
    },
  );
}
