import type { EmbeddingResult, TokenUsage } from '../model/index.ts';
import type { ResolvedModel } from '../routing/index.ts';
import type { Tokenizer } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { AttemptsExhausted, runAttempts } from './attempt-loop.ts';
import { type CredentialLookup, callOptionsFor } from './call-options.ts';
import type { ChatQuote, RouteInfo } from './chat-gateway.ts';
import { type GatewayRouting, planForCaller } from './route-request.ts';
import { type ServedAs, servedAs } from './served-as.ts';
import { failedWithoutOutput, type MeteredCharge, servedBy, type UsageMeter } from './usage-meter.ts';

export interface EmbeddingCall {
  context: AuthContext;
  requestId: string;
  startedAt: number;
  modelName: string;
  input: string[];
  dimensions?: number;
  user?: string;
  signal: AbortSignal;
  /** The route, when a layer in front (admission) already planned it. */
  quote?: ChatQuote;
  onCharge?: (charge: MeteredCharge) => void;
  /** A line of a batch: priced at the model's batch price where it has one. */
  batch?: boolean;
}

export interface EmbeddingGateway {
  /** Plans the route of a call without calling anything; throws for an unknown or forbidden model. */
  quote(call: EmbeddingCall): ChatQuote;
  embed(call: EmbeddingCall): Promise<{
    result: EmbeddingResult;
    model: ResolvedModel;
    usage: TokenUsage;
    costUsd: string;
    route: RouteInfo;
    servedAs: ServedAs;
  }>;
}

/** The embeddings path: plan a route → attempts with retries and fallbacks → meter. */
export function createEmbeddingGateway(dependencies: {
  routing: () => GatewayRouting;
  meter: UsageMeter;
  tokenizer: Tokenizer;
  metrics: Metrics;
  credentials: CredentialLookup;
}): EmbeddingGateway {
  const { meter, tokenizer, metrics, credentials } = dependencies;
  function plan(call: EmbeddingCall, routing: GatewayRouting): ChatQuote {
    if (call.quote) return call.quote;
    const characters = call.input.reduce((sum, text) => sum + text.length, 0);
    const promptTokens = Math.ceil(characters / 4);
    return {
      routePlan: planForCaller(routing, call.context, {
        modelName: call.modelName,
        request: { messages: [] },
        promptTokens,
        costPreference: 'balanced',
        kind: 'embedding',
      }),
      estimatedTokens: promptTokens,
      expandGroup: (name) => routing.expandGroup(name, { promptTokens }),
    };
  }

  return {
    quote: (call) => plan(call, dependencies.routing()),

    async embed(call) {
      metrics.inFlight.inc({ endpoint: 'embeddings' });
      const base = {
        context: call.context,
        requestId: call.requestId,
        endpoint: 'embeddings' as const,
        endUser: call.user ?? null,
        requestedModel: call.modelName,
        startedAt: call.startedAt,
        streamed: false,
        firstTokenAt: null,
        onCharge: call.onCharge,
        ...(call.batch ? { batch: true } : {}),
      };
      let group: string | null = null;
      try {
        const routing = dependencies.routing();
        let outcome: Awaited<ReturnType<typeof runAttempts<EmbeddingResult>>>;
        try {
          const { routePlan, estimatedTokens, expandGroup } = plan(call, routing);
          group = routePlan.group;
          outcome = await runAttempts(
            routePlan,
            {
              signal: call.signal,
              organizationId: call.context.organizationId,
              estimatedTokens,
              expandGroup,
            },
            routing.attempts,
            async (candidate, deadline) =>
              candidate.model.provider.embeddingModel(candidate.model.descriptor.modelId).embed(
                {
                  model: candidate.model.descriptor.modelId,
                  input: call.input,
                  ...(call.dimensions === undefined ? {} : { dimensions: call.dimensions }),
                  ...(call.user === undefined ? {} : { user: call.user }),
                },
                await callOptionsFor(credentials, { ...call, signal: deadline.signal }, candidate.model),
              ),
          );
        } catch (error) {
          const exhausted = error instanceof AttemptsExhausted ? error : null;
          const cause = exhausted ? exhausted.lastError : error;
          await meter.record({
            ...base,
            ...servedBy(exhausted?.lastCandidate?.model),
            ...failedWithoutOutput(cause, call.signal),
            route:
              group === null ? null : { group, attempts: exhausted?.attempts ?? 0, fallbackReason: null },
          });
          throw cause;
        }
        outcome.deadline.dispose();
        const result = outcome.value;
        const model = outcome.candidate.model;
        const promptTokens =
          result.usage?.promptTokens ?? call.input.reduce((sum, text) => sum + tokenizer.countText(text), 0);
        const usage: TokenUsage = { promptTokens, completionTokens: 0, cachedPromptTokens: 0 };
        const route: RouteInfo = {
          deployment: model.publicId,
          group: outcome.candidate.group,
          attempts: outcome.attempts,
          fallbackReason: outcome.fallbackReason,
        };
        const { costUsd } = await meter.record({
          ...base,
          ...servedBy(model),
          usage,
          usageSource: result.usage ? 'provider' : 'tokenizer',
          status: 200,
          error: null,
          route: { group: route.group, attempts: route.attempts, fallbackReason: route.fallbackReason },
        });
        return { result, model, usage, costUsd, route, servedAs: servedAs(null) };
      } finally {
        metrics.inFlight.dec({ endpoint: 'embeddings' });
      }
    },
  };
}
