import type { EmbeddingResult, TokenUsage } from '../providers/spec/index.ts';
import type { ModelCatalog, ResolvedModel } from '../routing/index.ts';
import type { Tokenizer } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { type CredentialLookup, callOptionsFor } from './call-options.ts';
import { resolveForCaller } from './resolve-for-caller.ts';
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
  embed(
    call: EmbeddingCall,
  ): Promise<{ result: EmbeddingResult; model: ResolvedModel; usage: TokenUsage; costUsd: string }>;
}

export function createEmbeddingGateway(dependencies: {
  catalog: ModelCatalog;
  meter: UsageMeter;
  tokenizer: Tokenizer;
  metrics: Metrics;
  credentials: CredentialLookup;
}): EmbeddingGateway {
  const { catalog, meter, tokenizer, metrics, credentials } = dependencies;
  return {
    async embed(call) {
      metrics.inFlight.inc({ endpoint: 'embeddings' });
      let model: ResolvedModel | undefined;
      let metered = false;
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
      try {
        model = resolveForCaller(catalog, call.context, call.modelName, 'embedding');
        const result = await model.provider.embeddingModel(model.descriptor.modelId).embed(
          {
            model: model.descriptor.modelId,
            input: call.input,
            ...(call.dimensions === undefined ? {} : { dimensions: call.dimensions }),
            ...(call.user === undefined ? {} : { user: call.user }),
          },
          await callOptionsFor(credentials, call, model),
        );
        const promptTokens =
          result.usage?.promptTokens ?? call.input.reduce((sum, text) => sum + tokenizer.countText(text), 0);
        const usage: TokenUsage = { promptTokens, completionTokens: 0, cachedPromptTokens: 0 };
        metered = true;
        const { costUsd } = await meter.record({
          ...base,
          ...servedBy(model),
          usage,
          usageSource: result.usage ? 'provider' : 'tokenizer',
          status: 200,
          error: null,
        });
        return { result, model, usage, costUsd };
      } catch (error) {
        if (!metered) {
          await meter.record({ ...base, ...servedBy(model), ...failedWithoutOutput(error, call.signal) });
        }
        throw error;
      } finally {
        metrics.inFlight.dec({ endpoint: 'embeddings' });
      }
    },
  };
}
