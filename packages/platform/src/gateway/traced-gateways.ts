import type { ChatCache } from '../cache/index.ts';
import { type Attributes, type Span, SpanKind, type Tracing } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import type { Admission } from './admission/admission-types.ts';
import type { ChatCall, ChatGateway, ChatOutcome } from './chat-gateway.ts';
import type { EmbeddingGateway } from './embedding-gateway.ts';
import type { UsageMeter } from './usage-meter.ts';

/** The caller's attributes (`kimi.*`): organisation and key, never anything the request says. */
export function callerAttributes(context: AuthContext): Attributes {
  return {
    'kimi.organization.id': context.organizationId,
    'kimi.api_key.id': context.apiKeyId,
    'kimi.principal': context.principal,
  };
}

function recordOutcome(span: Span, outcome: Omit<ChatOutcome, 'servedAs'> & Partial<ChatOutcome>): void {
  if (!span.isRecording()) return;
  span.setAttributes({
    'gen_ai.response.model': outcome.model.publicId,
    'gen_ai.usage.input_tokens': outcome.usage.promptTokens,
    'gen_ai.usage.output_tokens': outcome.usage.completionTokens,
    'kimi.deployment': outcome.route.deployment,
    'kimi.route.group': outcome.route.group,
    'kimi.route.attempts': outcome.route.attempts,
    'kimi.cost_usd': outcome.costUsd,
  });
  if (outcome.route.fallbackReason) span.setAttribute('kimi.fallback_reason', outcome.route.fallbackReason);
  if (outcome.servedAs?.cacheStatus) span.setAttribute('kimi.cache.status', outcome.servedAs.cacheStatus);
}

function gatewayStart(operation: string, context: AuthContext, modelName: string, requestId: string) {
  return {
    kind: SpanKind.INTERNAL,
    attributes: {
      ...callerAttributes(context),
      'gen_ai.operation.name': operation,
      'gen_ai.request.model': modelName,
      'kimi.request.id': requestId,
    },
  };
}

/** Text attributes are cut at this many characters, so one call cannot make a huge span. */
const contentLimit = 16_384;

/** The organisation's opt-in to prompt and completion text on spans (see platform/trace-content). */
export interface TraceContentPolicy {
  recordsContent(organizationId: string): Promise<boolean>;
}

/** Whether this span gets text: only a recorded span of an organisation that opted in. */
async function recordingContent(span: Span, call: ChatCall, policy: TraceContentPolicy | undefined) {
  if (!policy || !span.isRecording()) return false;
  const allowed = await policy.recordsContent(call.context.organizationId);
  if (allowed)
    span.setAttribute('gen_ai.input.messages', JSON.stringify(call.request.messages).slice(0, contentLimit));
  return allowed;
}

/**
 * One span per chat call through the whole gateway (admission, cache, attempts, metering inside
 * it). Prompt and completion text go on it only for an organisation that opted in.
 */
export function traceChatGateway(
  inner: ChatGateway,
  tracing: Tracing,
  policy?: TraceContentPolicy,
): ChatGateway {
  return {
    quote: (call) => inner.quote(call),
    countTokens: (call) => inner.countTokens(call),
    complete: (call) =>
      tracing.inSpan(
        'gateway chat',
        gatewayStart('chat', call.context, call.modelName, call.requestId),
        async (span) => {
          const content = await recordingContent(span, call, policy);
          const outcome = await inner.complete(call);
          recordOutcome(span, outcome);
          if (content) {
            const answers = outcome.result.choices.map((choice) => ({
              role: 'assistant',
              content: choice.content,
              finish_reason: choice.finishReason,
            }));
            span.setAttribute('gen_ai.output.messages', JSON.stringify(answers).slice(0, contentLimit));
          }
          return outcome;
        },
      ),
    stream: (call, handlers) =>
      tracing.inSpan(
        'gateway chat',
        gatewayStart('chat', call.context, call.modelName, call.requestId),
        async (span) => {
          span.setAttribute('kimi.streamed', true);
          const content = await recordingContent(span, call, policy);
          let text = '';
          const outcome = await inner.stream(
            call,
            content
              ? {
                  onStart: handlers.onStart,
                  onPart: (part) => {
                    if (part.type === 'text-delta' && text.length < contentLimit) text += part.delta;
                    return handlers.onPart(part);
                  },
                }
              : handlers,
          );
          recordOutcome(span, outcome);
          if (content) {
            const answer = [{ role: 'assistant', content: text.slice(0, contentLimit) }];
            span.setAttribute('gen_ai.output.messages', JSON.stringify(answer));
          }
          return outcome;
        },
      ),
  };
}

/** One span per embeddings call through the whole gateway. */
export function traceEmbeddingGateway(inner: EmbeddingGateway, tracing: Tracing): EmbeddingGateway {
  return {
    quote: (call) => inner.quote(call),
    embed: (call) =>
      tracing.inSpan(
        'gateway embeddings',
        gatewayStart('embeddings', call.context, call.modelName, call.requestId),
        async (span) => {
          const outcome = await inner.embed(call);
          recordOutcome(span, outcome);
          return outcome;
        },
      ),
  };
}

/** The admission step (limits, budgets, quotas) as its own span. */
export function traceAdmission(inner: Admission, tracing: Tracing): Admission {
  return {
    admit: (request) =>
      tracing.inSpan('admission', { attributes: { 'kimi.endpoint': request.endpoint } }, () =>
        inner.admit(request),
      ),
  };
}

/** Metering (pricing and the durable usage write) as its own span, with the exact cost. */
export function traceMeter(inner: UsageMeter, tracing: Tracing): UsageMeter {
  return {
    record: (outcome) =>
      tracing.inSpan('metering', { attributes: { 'kimi.endpoint': outcome.endpoint } }, async (span) => {
        const priced = await inner.record(outcome);
        if (span.isRecording()) span.setAttribute('kimi.cost_usd', priced.costUsd);
        return priced;
      }),
    recordRefusal: (refused) => tracing.inSpan('metering refusal', {}, () => inner.recordRefusal(refused)),
    hasMetered: (error) => inner.hasMetered(error),
  };
}

/** The response cache with a span around its shared lookup (L2, then semantic), naming what it found. */
export function traceChatCache(inner: ChatCache, tracing: Tracing): ChatCache {
  return {
    ...inner,
    lookupShared: (target, decision, call) =>
      tracing.inSpan('cache lookup', {}, async (span) => {
        const hit = await inner.lookupShared(target, decision, call);
        if (span.isRecording()) span.setAttribute('kimi.cache.status', hit ? `hit-${hit.layer}` : 'miss');
        return hit;
      }),
  };
}
