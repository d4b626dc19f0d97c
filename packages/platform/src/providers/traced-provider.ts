import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  EmbeddingModel,
  LanguageModel,
  Provider,
} from '../model/index.ts';
import { recordSpanFailure, type Span, SpanKind, type Tracing } from '../telemetry/index.ts';

/** `gen_ai.provider.name` values the GenAI semantic conventions define for our adapters. */
const providerNames: Readonly<Record<string, string>> = {
  'azure-openai': 'azure.ai.openai',
  openai: 'openai',
  anthropic: 'anthropic',
};

function requestAttributes(provider: string, operation: string, modelId: string) {
  const system = providerNames[provider] ?? provider;
  return {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': system,
    'gen_ai.system': system,
    'gen_ai.request.model': modelId,
  };
}

function recordChatRequest(span: Span, request: ChatRequest): void {
  if (!span.isRecording()) return;
  if (request.maxTokens !== undefined) span.setAttribute('gen_ai.request.max_tokens', request.maxTokens);
  if (request.temperature !== undefined) span.setAttribute('gen_ai.request.temperature', request.temperature);
}

function recordChatResult(span: Span, result: ChatResult): void {
  if (!span.isRecording()) return;
  span.setAttribute('gen_ai.response.model', result.model);
  if (result.providerResponseId) span.setAttribute('gen_ai.response.id', result.providerResponseId);
  span.setAttribute(
    'gen_ai.response.finish_reasons',
    result.choices.map((choice) => choice.finishReason),
  );
  if (result.usage) {
    span.setAttribute('gen_ai.usage.input_tokens', result.usage.promptTokens);
    span.setAttribute('gen_ai.usage.output_tokens', result.usage.completionTokens);
  }
}

/** Stream parts seen so far, for the attributes set when the stream ends. */
function streamRecorder(span: Span, modelId: string) {
  const finishReasons: string[] = [];
  return {
    observe(part: ChatStreamPart) {
      if (part.type === 'finish') finishReasons[part.choiceIndex] = part.finishReason;
      else if (part.type === 'usage' && span.isRecording()) {
        span.setAttribute('gen_ai.usage.input_tokens', part.usage.promptTokens);
        span.setAttribute('gen_ai.usage.output_tokens', part.usage.completionTokens);
      }
    },
    end() {
      if (!span.isRecording()) return;
      span.setAttribute('gen_ai.response.model', modelId);
      span.setAttribute('gen_ai.response.finish_reasons', finishReasons.filter(Boolean));
    },
  };
}

/** Relays a recorded stream, noting finish reasons and usage, and ends the span with it. */
async function* recordStream(
  span: Span,
  modelId: string,
  open: () => AsyncIterable<ChatStreamPart>,
): AsyncIterable<ChatStreamPart> {
  const recorder = streamRecorder(span, modelId);
  try {
    for await (const part of open()) {
      recorder.observe(part);
      yield part;
    }
    recorder.end();
  } catch (error) {
    recordSpanFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function tracedLanguageModel(model: LanguageModel, tracing: Tracing, provider: string): LanguageModel {
  const start = (request: ChatRequest, options: CallOptions) => {
    const span = tracing.startSpan(`chat ${model.modelId}`, {
      kind: SpanKind.CLIENT,
      attributes: requestAttributes(provider, 'chat', model.modelId),
    });
    recordChatRequest(span, request);
    const traced: CallOptions = {
      ...options,
      traceHeaders: tracing.withSpan(span, () => tracing.inject({})),
    };
    return { span, traced };
  };
  return {
    provider: model.provider,
    modelId: model.modelId,
    ...(model.countTokens ? { countTokens: model.countTokens.bind(model) } : {}),
    async generate(request, options) {
      const { span, traced } = start(request, options);
      try {
        const result = await tracing.withSpan(span, () => model.generate(request, traced));
        recordChatResult(span, result);
        return result;
      } catch (error) {
        recordSpanFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
    stream(request, options) {
      const { span, traced } = start(request, options);
      // why: an unrecorded call needs only its traceparent; no generator layer on every part.
      if (!span.isRecording()) return model.stream(request, traced);
      return recordStream(span, model.modelId, () => model.stream(request, traced));
    },
  };
}

function tracedEmbeddingModel(model: EmbeddingModel, tracing: Tracing, provider: string): EmbeddingModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    embed(request, options) {
      return tracing.inSpan(
        `embeddings ${model.modelId}`,
        { kind: SpanKind.CLIENT, attributes: requestAttributes(provider, 'embeddings', model.modelId) },
        async (span) => {
          const result = await model.embed(request, { ...options, traceHeaders: tracing.inject({}) });
          if (span.isRecording()) {
            span.setAttribute('gen_ai.response.model', result.model);
            if (result.usage) span.setAttribute('gen_ai.usage.input_tokens', result.usage.promptTokens);
          }
          return result;
        },
      );
    },
  };
}

/**
 * The provider with a client span around every model call (GenAI semantic conventions) whose
 * `traceparent` goes upstream. Prompt and completion text are never put on the span.
 */
export function traceProvider(provider: Provider, tracing: Tracing): Provider {
  return {
    name: provider.name,
    simulated: provider.simulated,
    listModels: () => provider.listModels(),
    languageModel: (modelId) => tracedLanguageModel(provider.languageModel(modelId), tracing, provider.name),
    embeddingModel: (modelId) =>
      tracedEmbeddingModel(provider.embeddingModel(modelId), tracing, provider.name),
  };
}
