import { isPlatformError } from '../errors/index.ts';
import type { UsageEndpoint } from '../metering/index.ts';
import type { Tokenizer } from '../support/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import type { Admission, AdmissionRequest, Admitted } from './admission/admission-types.ts';
import type { ChatCall, ChatGateway, ChatQuote } from './chat-gateway.ts';
import type { EmbeddingCall, EmbeddingGateway } from './embedding-gateway.ts';
import { withLimits } from './served-as.ts';
import type { MeteredCharge, UsageMeter } from './usage-meter.ts';

export interface AdmittedGatewayDependencies {
  admission: Admission;
  meter: UsageMeter;
  tokenizer: Tokenizer;
  /** Completion tokens a reservation assumes when a request sets no max_tokens. */
  defaultMaxTokens: () => number;
}

interface Entered {
  quote: ChatQuote;
  limitHeaders: Readonly<Record<string, string>>;
  onCharge: (charge: MeteredCharge) => void;
  /** Settles the holds with the charge the meter reported (none: nothing was metered). */
  finish(): Promise<void>;
}

/** The call fields both kinds share, as the admission step and a refusal's usage record need them. */
interface CallBasics {
  context: AuthContext;
  requestId: string;
  startedAt: number;
  modelName: string;
  onCharge?: ((charge: MeteredCharge) => void) | undefined;
}

/**
 * Plans the route and takes the admission holds; a refusal (or a route that cannot be planned) is
 * metered here, since the gateway behind never sees the request.
 */
async function enter(
  dependencies: AdmittedGatewayDependencies,
  call: CallBasics,
  endpoint: UsageEndpoint,
  size: Pick<AdmissionRequest, 'endUser' | 'promptTokens' | 'completionTokens'>,
  quoteOf: () => ChatQuote,
): Promise<Entered> {
  let admitted: Admitted;
  try {
    admitted = await dependencies.admission.admit({
      context: call.context,
      requestId: call.requestId,
      endpoint,
      modelName: call.modelName,
      quote: quoteOf(),
      ...size,
    });
  } catch (error) {
    await dependencies.meter
      .recordRefusal({
        context: call.context,
        requestId: call.requestId,
        endpoint,
        requestedModel: call.modelName,
        startedAt: call.startedAt,
        error,
      })
      .catch(() => undefined);
    throw error;
  }
  let charge: MeteredCharge | null = null;
  return {
    quote: admitted.quote,
    limitHeaders: admitted.limitHeaders,
    onCharge(reported) {
      charge = reported;
      call.onCharge?.(reported);
    },
    finish: () => admitted.finish(charge),
  };
}

/** A failure after admission still tells the caller the rate limits it was counted against. */
function carryLimits(error: unknown, limitHeaders: Readonly<Record<string, string>>): unknown {
  if (isPlatformError(error) && Object.keys(error.headers).length === 0) error.headers = limitHeaders;
  return error;
}

/** The chat gateway behind the admission step: every call is admitted, then settled when it ends. */
export function admitChatGateway(inner: ChatGateway, dependencies: AdmittedGatewayDependencies): ChatGateway {
  const admit = (call: ChatCall) =>
    enter(
      dependencies,
      call,
      'chat.completions',
      {
        endUser: call.request.user ?? null,
        promptTokens: () =>
          dependencies.tokenizer.countChatPrompt(
            call.request.messages,
            call.request.tools && call.request.tools.length > 0
              ? JSON.stringify(call.request.tools)
              : undefined,
          ),
        completionTokens: (call.request.maxTokens ?? dependencies.defaultMaxTokens()) * (call.request.n ?? 1),
      },
      () => inner.quote(call),
    );
  return {
    quote: (call) => inner.quote(call),
    // Counting calls no model to answer, so it is not admitted (limits, budgets) like a call.
    countTokens: (call) => inner.countTokens(call),
    async complete(call) {
      const entered = await admit(call);
      try {
        const outcome = await inner.complete({ ...call, quote: entered.quote, onCharge: entered.onCharge });
        return { ...outcome, servedAs: withLimits(outcome.servedAs, entered.limitHeaders) };
      } catch (error) {
        throw carryLimits(error, entered.limitHeaders);
      } finally {
        await entered.finish();
      }
    },
    async stream(call, handlers) {
      const entered = await admit(call);
      try {
        const outcome = await inner.stream(
          { ...call, quote: entered.quote, onCharge: entered.onCharge },
          {
            onStart: (model, route, servedAs) =>
              handlers.onStart(model, route, withLimits(servedAs, entered.limitHeaders)),
            onPart: handlers.onPart,
          },
        );
        return { ...outcome, servedAs: withLimits(outcome.servedAs, entered.limitHeaders) };
      } catch (error) {
        throw carryLimits(error, entered.limitHeaders);
      } finally {
        await entered.finish();
      }
    },
  };
}

/** The embeddings gateway behind the admission step. */
export function admitEmbeddingGateway(
  inner: EmbeddingGateway,
  dependencies: AdmittedGatewayDependencies,
): EmbeddingGateway {
  return {
    quote: (call) => inner.quote(call),
    async embed(call: EmbeddingCall) {
      const entered = await enter(
        dependencies,
        call,
        'embeddings',
        {
          endUser: call.user ?? null,
          promptTokens: () =>
            call.input.reduce((sum, text) => sum + dependencies.tokenizer.countText(text), 0),
          completionTokens: 0,
        },
        () => inner.quote(call),
      );
      try {
        const outcome = await inner.embed({ ...call, quote: entered.quote, onCharge: entered.onCharge });
        return { ...outcome, servedAs: withLimits(outcome.servedAs, entered.limitHeaders) };
      } catch (error) {
        throw carryLimits(error, entered.limitHeaders);
      } finally {
        await entered.finish();
      }
    },
  };
}
