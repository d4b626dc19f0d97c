import type {
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  TokenUsage,
  ToolCall,
} from '../providers/spec/index.ts';
import type { ModelCatalog, ResolvedModel } from '../routing/index.ts';
import type { Tokenizer } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { type CredentialLookup, callOptionsFor } from './call-options.ts';
import { countChatUsage } from './count-usage.ts';
import { failureStatus } from './failure-status.ts';
import { resolveForCaller } from './resolve-for-caller.ts';
import { failedWithoutOutput, servedBy, type UsageMeter } from './usage-meter.ts';

export interface ChatCall {
  context: AuthContext;
  requestId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  modelName: string;
  request: Omit<ChatRequest, 'model'>;
  /** Aborts the provider call when the client goes away. */
  signal: AbortSignal;
}

export interface ChatOutcome {
  model: ResolvedModel;
  usage: TokenUsage;
  costUsd: string;
}

export type ChatContentPart = Exclude<ChatStreamPart, { type: 'usage' }>;

export interface ChatStreamHandlers {
  /** Called once, when the provider's first part arrives: a failure before it is still a plain HTTP error. */
  onStart(model: ResolvedModel): void;
  /** Each content part, in order; a returned promise is awaited (backpressure). */
  onPart(part: ChatContentPart): void | Promise<void>;
}

export interface ChatGateway {
  /** Resolves with the answer after its usage record is committed. */
  complete(call: ChatCall): Promise<ChatOutcome & { result: ChatResult }>;
  /** Streams parts to `handlers`; resolves after the usage record is committed, before the stream ends. */
  stream(call: ChatCall, handlers: ChatStreamHandlers): Promise<ChatOutcome>;
}

interface StreamedChoice {
  text: string;
  toolCalls: ToolCall[];
}

/** The chat path: resolve → call provider → meter, with a usage record on every outcome. */
export function createChatGateway(dependencies: {
  catalog: ModelCatalog;
  meter: UsageMeter;
  tokenizer: Tokenizer;
  metrics: Metrics;
  credentials: CredentialLookup;
}): ChatGateway {
  const { catalog, meter, tokenizer, metrics, credentials } = dependencies;

  function base(call: ChatCall, streamed: boolean) {
    return {
      context: call.context,
      requestId: call.requestId,
      endpoint: 'chat.completions' as const,
      endUser: call.request.user ?? null,
      requestedModel: call.modelName,
      startedAt: call.startedAt,
      streamed,
    };
  }

  return {
    async complete(call) {
      metrics.inFlight.inc({ endpoint: 'chat.completions' });
      let model: ResolvedModel | undefined;
      let metered = false;
      try {
        model = resolveForCaller(catalog, call.context, call.modelName, 'chat');
        const request: ChatRequest = { ...call.request, model: model.descriptor.modelId };
        const options = await callOptionsFor(credentials, call, model);
        const result = await model.provider
          .languageModel(model.descriptor.modelId)
          .generate(request, options);
        const usage =
          result.usage ??
          countChatUsage(
            tokenizer,
            request,
            result.choices.map((choice) => ({ text: choice.content ?? '', toolCalls: choice.toolCalls })),
          );
        metered = true;
        const { costUsd } = await meter.record({
          ...base(call, false),
          ...servedBy(model),
          usage,
          usageSource: result.usage ? 'provider' : 'tokenizer',
          firstTokenAt: null,
          status: 200,
          error: null,
        });
        return { result, model, usage, costUsd };
      } catch (error) {
        if (!metered) {
          await meter.record({
            ...base(call, false),
            ...servedBy(model),
            ...failedWithoutOutput(error, call.signal),
            firstTokenAt: null,
          });
        }
        throw error;
      } finally {
        metrics.inFlight.dec({ endpoint: 'chat.completions' });
      }
    },

    async stream(call, handlers) {
      metrics.inFlight.inc({ endpoint: 'chat.completions' });
      let model: ResolvedModel | undefined;
      let request: ChatRequest | undefined;
      let started = false;
      let metered = false;
      let firstTokenAt: number | null = null;
      let providerUsage: TokenUsage | null = null;
      const choices = new Map<number, StreamedChoice>();
      const choice = (index: number): StreamedChoice => {
        let found = choices.get(index);
        if (!found) {
          found = { text: '', toolCalls: [] };
          choices.set(index, found);
        }
        return found;
      };
      const counted = (): TokenUsage => countChatUsage(tokenizer, request!, [...choices.values()]);
      try {
        model = resolveForCaller(catalog, call.context, call.modelName, 'chat');
        request = { ...call.request, model: model.descriptor.modelId };
        const options = await callOptionsFor(credentials, call, model);
        const parts = model.provider.languageModel(model.descriptor.modelId).stream(request, options);
        for await (const part of parts) {
          if (part.type === 'usage') {
            providerUsage = part.usage;
            continue;
          }
          if (!started) {
            started = true;
            handlers.onStart(model);
          }
          if (part.type === 'text-delta') {
            firstTokenAt ??= performance.now();
            choice(part.choiceIndex).text += part.delta;
          } else if (part.type === 'tool-call-start') {
            firstTokenAt ??= performance.now();
            choice(part.choiceIndex).toolCalls[part.toolCallIndex] = {
              id: part.id,
              name: part.name,
              arguments: '',
            };
          } else if (part.type === 'tool-call-delta') {
            const toolCall = choice(part.choiceIndex).toolCalls[part.toolCallIndex];
            if (toolCall) toolCall.arguments += part.argumentsDelta;
          }
          await handlers.onPart(part);
        }
        if (!started) {
          started = true;
          handlers.onStart(model);
        }
        const usage = providerUsage ?? counted();
        metered = true;
        const { costUsd } = await meter.record({
          ...base(call, true),
          ...servedBy(model),
          usage,
          usageSource: providerUsage ? 'provider' : 'tokenizer',
          firstTokenAt,
          status: 200,
          error: null,
        });
        return { model, usage, costUsd };
      } catch (error) {
        if (!metered) {
          // Tokens already generated are billed by providers even when the stream breaks.
          const usage = started && request ? (providerUsage ?? counted()) : null;
          await meter.record({
            ...base(call, true),
            ...servedBy(model),
            usage,
            usageSource: usage ? (providerUsage ? 'provider' : 'tokenizer') : 'none',
            firstTokenAt,
            status: failureStatus(error, call.signal),
            error,
          });
        }
        throw error;
      } finally {
        metrics.inFlight.dec({ endpoint: 'chat.completions' });
      }
    },
  };
}
