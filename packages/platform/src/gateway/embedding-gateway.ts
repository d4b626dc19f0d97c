import type { EmbeddingResult, TokenUsage } from '../providers/spec/index.ts';
import type { ResolvedModel } from '../routing/index.ts';
import type { Tokenizer } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { AttemptsExhausted, runAttempts } from './attempt-loop.ts';
import { type CredentialLookup, callOptionsFor } from './call-options.ts';
import type { RouteInfo } from './chat-gateway.ts';
import { type GatewayRouting, planForCaller } from './route-request.ts';
import { failedWithoutOutput, servedBy, type UsageMeter } from './usage-meter.ts';

export interface EmbeddingCall {
  context: AuthContext;
  requestId: string;
  startedAt: number;
  modelName: string;
  input: string[];
  dimensions?: number;
  user?: string;
  signal: AbortSignal;
}

export interface EmbeddingGateway {
  embed(call: EmbeddingCall): Promise<{
    result: EmbeddingResult;
    model: ResolvedModel;
    usage: TokenUsage;
    costUsd: string;
    route: RouteInfo;
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
  return {
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
      };
      let group: string | null = null;
      try {
        const routing = dependencies.routing();
        const characters = call.input.reduce((sum, text) => sum + text.length, 0);
        let outcome: Awaited<ReturnType<typeof runAttempts<EmbeddingResult>>>;
        try {
          const plan = planForCaller(routing, call.context, {
            modelName: call.modelName,
            request: { messages: [] },
            promptTokens: Math.ceil(characters / 4),
            costPreference: 'balanced',
            kind: 'embedding',
          });
          group = plan.group;
          outcome = await runAttempts(
            plan,
            {
              signal: call.signal,
              estimatedTokens: Math.ceil(characters / 4),
              expandGroup: (name) => routing.expandGroup(name, { promptTokens: Math.ceil(characters / 4) }),
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
        return { result, model, usage, costUsd, route };
      } finally {
        metrics.inFlight.dec({ endpoint: 'embeddings' });
      }
    },
  };
}
