import type { CacheStatus } from '../cache/index.ts';
import { errors } from '../errors/index.ts';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  TokenUsage,
  ToolCall,
} from '../model/index.ts';
import type { CallDeadline } from '../resilience/index.ts';
import type {
  CostPreference,
  FallbackReason,
  ResolvedModel,
  RouteCandidate,
  RoutePlan,
} from '../routing/index.ts';
import type { Tokenizer } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { type AttemptOutcome, AttemptsExhausted, runAttempts } from './attempt-loop.ts';
import { type CredentialLookup, callOptionsFor } from './call-options.ts';
import { countChatUsage } from './count-usage.ts';
import { failureStatus } from './failure-status.ts';
import {
  estimatePromptTokens,
  type GatewayRouting,
  planForCaller,
  servableCandidates,
} from './route-request.ts';
import { type ServedAs, servedAs } from './served-as.ts';
import {
  failedWithoutOutput,
  type MeteredCharge,
  type RouteRecord,
  servedBy,
  type UsageMeter,
} from './usage-meter.ts';

export interface ChatCall {
  context: AuthContext;
  requestId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  modelName: string;
  request: Omit<ChatRequest, 'model'>;
  /** Aborts the provider call when the client goes away. */
  signal: AbortSignal;
  /** `x-kimi-cost-preference`, for routing policies. */
  costPreference?: CostPreference;
  /** `x-kimi-timeout-ms`: the total timeout of each provider call, overriding the deployment's. */
  timeoutMs?: number;
  /** The route, when a layer in front (admission) already planned it; planned here otherwise. */
  quote?: ChatQuote;
  /** Told the exact charge once the request is priced (the admission layer settles with it). */
  onCharge?: (charge: MeteredCharge) => void;
  /** What the cache decided for this call (set by the cache layer for the one below, which meters it). */
  cacheStatus?: CacheStatus;
  /** A line of a batch: priced at the model's batch price (`batch_discount_percent`) where it has one. */
  batch?: boolean;
}

/** A planned route: where the request may go, and the sizes routing and limits estimate it at. */
export interface ChatQuote {
  routePlan: RoutePlan;
  /** Prompt tokens (cheap estimate) plus the completion budget: what token limits charge first. */
  estimatedTokens: number;
  /** Another group's candidates, sized for this request (context-window and content fallbacks). */
  expandGroup: (group: string) => RouteCandidate[];
}

/** Where the request went: the deployment that served it, calls made, and why it fell back. */
export interface RouteInfo {
  deployment: string;
  group: string;
  attempts: number;
  fallbackReason: FallbackReason | null;
}

export interface ChatOutcome {
  model: ResolvedModel;
  usage: TokenUsage;
  costUsd: string;
  route: RouteInfo;
  servedAs: ServedAs;
}

export type ChatContentPart = Exclude<ChatStreamPart, { type: 'usage' }>;

export interface ChatStreamHandlers {
  /** Called once, when the first part arrives: every failure before it may still fall back. */
  onStart(model: ResolvedModel, route: RouteInfo, servedAs: ServedAs): void;
  /** Each content part, in order; a returned promise is awaited (backpressure). */
  onPart(part: ChatContentPart): void | Promise<void>;
}

export interface ChatGateway {
  /** Plans the route of a call without calling anything; throws for an unknown or forbidden model. */
  quote(call: ChatCall): ChatQuote;
  /** Resolves with the answer after its usage record is committed. */
  complete(call: ChatCall): Promise<ChatOutcome & { result: ChatResult }>;
  /** Streams parts to `handlers`; resolves after the usage record is committed, before the stream ends. */
  stream(call: ChatCall, handlers: ChatStreamHandlers): Promise<ChatOutcome>;
  /**
   * The prompt's input tokens on the model the call would go to first: the provider's own count
   * where it offers one, the platform tokenizer otherwise. No admission, no cache, no metering;
   * the key's allowed models apply as for a call.
   */
  countTokens(call: ChatCall): Promise<PromptTokenCount>;
}

export interface PromptTokenCount {
  inputTokens: number;
  model: ResolvedModel;
  source: 'provider' | 'tokenizer';
}

interface StreamedChoice {
  text: string;
  toolCalls: ToolCall[];
}

function routeRecord(group: string, attempts: number, fallbackReason: FallbackReason | null): RouteRecord {
  return { group, attempts, fallbackReason };
}

/** The chat path: plan a route → attempts with retries and fallbacks → meter, on every outcome. */
export function createChatGateway(dependencies: {
  routing: () => GatewayRouting;
  meter: UsageMeter;
  tokenizer: Tokenizer;
  metrics: Metrics;
  credentials: CredentialLookup;
}): ChatGateway {
  const { meter, tokenizer, metrics, credentials } = dependencies;

  function base(call: ChatCall, streamed: boolean) {
    return {
      context: call.context,
      requestId: call.requestId,
      endpoint: 'chat.completions' as const,
      endUser: call.request.user ?? null,
      requestedModel: call.modelName,
      startedAt: call.startedAt,
      streamed,
      onCharge: call.onCharge,
      ...(call.batch ? { batch: true } : {}),
      ...(call.cacheStatus === undefined ? {} : { cache: { status: call.cacheStatus } }),
    };
  }

  function plan(call: ChatCall, routing: GatewayRouting): ChatQuote {
    if (call.quote) return call.quote;
    const promptTokens = estimatePromptTokens(call.request);
    const routePlan = planForCaller(routing, call.context, {
      modelName: call.modelName,
      request: call.request,
      promptTokens,
      costPreference: call.costPreference ?? 'balanced',
      kind: 'chat',
    });
    const estimatedTokens = promptTokens + (call.request.maxTokens ?? 256);
    const expandGroup = (group: string) =>
      servableCandidates(
        routing.expandGroup(group, {
          promptTokens,
          ...(call.request.maxTokens === undefined ? {} : { completionTokens: call.request.maxTokens }),
        }),
        call.request.servableBy,
      );
    return { routePlan, estimatedTokens, expandGroup };
  }

  function routeInfo(outcome: {
    candidate: { model: ResolvedModel; group: string };
    attempts: number;
    fallbackReason: FallbackReason | null;
  }): RouteInfo {
    return {
      deployment: outcome.candidate.model.publicId,
      group: outcome.candidate.group,
      attempts: outcome.attempts,
      fallbackReason: outcome.fallbackReason,
    };
  }

  /** Meters a request that ended before any content reached the client, then rethrows its error. */
  async function failBeforeContent(
    call: ChatCall,
    streamed: boolean,
    group: string | null,
    error: unknown,
  ): Promise<never> {
    const exhausted = error instanceof AttemptsExhausted ? error : null;
    const cause = exhausted ? exhausted.lastError : error;
    await meter.record({
      ...base(call, streamed),
      ...servedBy(exhausted?.lastCandidate?.model),
      ...failedWithoutOutput(cause, call.signal),
      firstTokenAt: null,
      route: group === null ? null : routeRecord(group, exhausted?.attempts ?? 0, null),
    });
    throw cause;
  }

  /**
   * Plans the call and runs its attempts (retries, fallbacks), each with the candidate's request and
   * credentials; a failure before any content is metered and rethrown.
   */
  async function attempt<Value>(
    call: ChatCall,
    streamed: boolean,
    work: (
      model: ResolvedModel,
      request: ChatRequest,
      options: CallOptions,
      deadline: CallDeadline,
    ) => Promise<Value>,
  ): Promise<AttemptOutcome<Value>> {
    let group: string | null = null;
    try {
      const routing = dependencies.routing();
      const { routePlan, estimatedTokens, expandGroup } = plan(call, routing);
      group = routePlan.group;
      return await runAttempts(
        routePlan,
        {
          signal: call.signal,
          organizationId: call.context.organizationId,
          estimatedTokens,
          expandGroup,
          ...(call.timeoutMs ? { totalTimeoutMs: call.timeoutMs } : {}),
        },
        routing.attempts,
        async (candidate, deadline) => {
          const request: ChatRequest = { ...call.request, model: candidate.model.descriptor.modelId };
          const options = await callOptionsFor(
            credentials,
            { ...call, signal: deadline.signal },
            candidate.model,
          );
          return work(candidate.model, request, options, deadline);
        },
      );
    } catch (error) {
      return await failBeforeContent(call, streamed, group, error);
    }
  }

  return {
    quote: (call) => plan(call, dependencies.routing()),

    async countTokens(call) {
      const [candidate] = plan(call, dependencies.routing()).routePlan.candidates;
      if (!candidate) throw errors.modelNotAllowed(call.modelName);
      const model = candidate.model;
      const request: ChatRequest = { ...call.request, model: model.descriptor.modelId };
      const languageModel = model.provider.languageModel(model.descriptor.modelId);
      if (languageModel.countTokens) {
        const options = await callOptionsFor(credentials, call, model);
        return { inputTokens: await languageModel.countTokens(request, options), model, source: 'provider' };
      }
      // The same rendering (system, messages, tools) the gateway counts usage with.
      const { promptTokens } = countChatUsage(tokenizer, request, []);
      return { inputTokens: promptTokens, model, source: 'tokenizer' };
    },

    async complete(call) {
      metrics.inFlight.inc({ endpoint: 'chat.completions' });
      try {
        const outcome = await attempt(call, false, async (model, request, options) => {
          const result = await model.provider
            .languageModel(model.descriptor.modelId)
            .generate(request, options);
          return { result, request };
        });
        outcome.deadline.dispose();
        const { result, request } = outcome.value;
        const model = outcome.candidate.model;
        const usage =
          result.usage ??
          countChatUsage(
            tokenizer,
            request,
            result.choices.map((choice) => ({ text: choice.content ?? '', toolCalls: choice.toolCalls })),
          );
        const route = routeInfo(outcome);
        const { costUsd } = await meter.record({
          ...base(call, false),
          ...servedBy(model),
          usage,
          usageSource: result.usage ? 'provider' : 'tokenizer',
          firstTokenAt: null,
          status: 200,
          error: null,
          route: routeRecord(route.group, route.attempts, route.fallbackReason),
        });
        return { result, model, usage, costUsd, route, servedAs: servedAs(call.cacheStatus) };
      } finally {
        metrics.inFlight.dec({ endpoint: 'chat.completions' });
      }
    },

    async stream(call, handlers) {
      metrics.inFlight.inc({ endpoint: 'chat.completions' });
      try {
        const opened = await attempt(call, true, async (model, request, options, deadline) => {
          const parts = model.provider
            .languageModel(model.descriptor.modelId)
            .stream(request, options)
            [Symbol.asyncIterator]();
          // Resolve only once content has arrived, so a failure before it can still fall back.
          const buffered: ChatStreamPart[] = [];
          for (;;) {
            const next = await parts.next();
            if (next.done) break;
            buffered.push(next.value);
            if (next.value.type !== 'usage') break;
          }
          deadline.firstTokenReceived();
          return { parts, buffered, request };
        });
        return await relayStream(call, handlers, opened, routeInfo(opened));
      } finally {
        metrics.inFlight.dec({ endpoint: 'chat.completions' });
      }
    },
  };

  async function relayStream(
    call: ChatCall,
    handlers: ChatStreamHandlers,
    opened: { value: OpenedStream; candidate: { model: ResolvedModel }; deadline: { dispose(): void } },
    route: RouteInfo,
  ): Promise<ChatOutcome> {
    const model = opened.candidate.model;
    const { parts, buffered, request } = opened.value;
    let firstTokenAt: number | null = null;
    let providerUsage: TokenUsage | null = null;
    let metered = false;
    const choices = new Map<number, StreamedChoice>();
    const choice = (index: number): StreamedChoice => {
      let found = choices.get(index);
      if (!found) {
        found = { text: '', toolCalls: [] };
        choices.set(index, found);
      }
      return found;
    };
    const counted = (): TokenUsage => countChatUsage(tokenizer, request, [...choices.values()]);
    const record = routeRecord(route.group, route.attempts, route.fallbackReason);
    const handle = async (part: ChatStreamPart) => {
      if (part.type === 'usage') {
        providerUsage = part.usage;
        return;
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
      } else if (part.type === 'reasoning-delta' || part.type === 'reasoning-redacted') {
        firstTokenAt ??= performance.now();
      }
      // why: awaiting only real promises saves a microtask hop per token on the hot path.
      const pending = handlers.onPart(part);
      if (pending) await pending;
    };
    try {
      handlers.onStart(model, route, servedAs(call.cacheStatus));
      for (const part of buffered) await handle(part);
      for (;;) {
        const next = await parts.next();
        if (next.done) break;
        await handle(next.value);
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
        route: record,
      });
      return { model, usage, costUsd, route, servedAs: servedAs(call.cacheStatus) };
    } catch (error) {
      if (!metered) {
        // Tokens already generated are billed by providers even when the stream breaks.
        const usage = providerUsage ?? counted();
        await meter.record({
          ...base(call, true),
          ...servedBy(model),
          usage,
          usageSource: providerUsage ? 'provider' : 'tokenizer',
          firstTokenAt,
          status: failureStatus(error, call.signal),
          error,
          route: record,
        });
      }
      throw error;
    } finally {
      opened.deadline.dispose();
    }
  }
}

interface OpenedStream {
  parts: AsyncIterator<ChatStreamPart>;
  buffered: ChatStreamPart[];
  request: ChatRequest;
}
