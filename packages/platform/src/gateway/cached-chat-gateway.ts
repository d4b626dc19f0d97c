import {
  type CacheDecision,
  type CacheDirectives,
  type CachedAnswer,
  type CacheHit,
  type CacheStatus,
  type CacheTarget,
  type ChatCache,
  noDirectives,
  partsFromAnswer,
  resultFromAnswer,
  StreamCollector,
  type UnstampedAnswer,
} from '../cache/index.ts';
import type { ChatResult, TokenUsage } from '../model/index.ts';
import type { ModelCatalog, ResolvedModel } from '../routing/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { ChatCall, ChatGateway, ChatOutcome, RouteInfo } from './chat-gateway.ts';
import { failureStatus } from './failure-status.ts';
import { estimatePromptTokens, type GatewayRouting, planForCaller } from './route-request.ts';
import { servedAs } from './served-as.ts';
import type { UsageMeter } from './usage-meter.ts';

/** A chat call that may carry cache directives; ingress routes attach them from the headers. */
export type CachedChatCall = ChatCall & { cacheDirectives?: CacheDirectives };

export interface CachedChatGatewayDependencies {
  cache: ChatCache;
  routing: () => GatewayRouting;
  catalog: () => ModelCatalog;
  meter: UsageMeter;
  metrics: Metrics;
}

interface Prepared {
  decision: CacheDecision;
  target: CacheTarget | null;
}

type Served<Value> = { hit: CacheHit } | { value: Value };

/** Only answers that ended normally are worth serving again. */
const cacheableFinishes = new Set(['stop', 'length', 'tool_calls']);

function cacheableChoices(result: Pick<ChatResult, 'choices'>): boolean {
  return (
    result.choices.length > 0 && result.choices.every((choice) => cacheableFinishes.has(choice.finishReason))
  );
}

/** Resolves when `promise` settles or the signal aborts, whichever is first (null then). */
function untilAborted<Value>(promise: Promise<Value>, signal: AbortSignal): Promise<Value | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(null);
      },
    );
  });
}

/**
 * The cache as a decorator of the chat gateway: admission → cache → core gateway. A hit is served
 * here (JSON, or replayed as a stream) and metered at cost 0 with the cost it saved; a miss goes to
 * the core gateway, which meters it, and its complete answer fills the cache. Concurrent identical
 * requests share one provider call (single-flight in process, a short kv lock across replicas).
 * The cache never fails a request: every cache fault degrades to calling the provider.
 */
export function createCachedChatGateway(
  inner: ChatGateway,
  dependencies: CachedChatGatewayDependencies,
): ChatGateway {
  const { cache, meter } = dependencies;

  function prepare(call: ChatCall): Prepared {
    const directives = (call as CachedChatCall).cacheDirectives ?? noDirectives;
    const decision = cache.decide(call.context, directives, call.request);
    if (!decision.read && !decision.write) return { decision, target: null };
    let group: string;
    try {
      group =
        call.quote?.routePlan.group ??
        planForCaller(dependencies.routing(), call.context, {
          modelName: call.modelName,
          request: call.request,
          promptTokens: estimatePromptTokens(call.request),
          costPreference: call.costPreference ?? 'balanced',
          kind: 'chat',
        }).group;
    } catch {
      // An unknown or forbidden model: the core gateway refuses it and meters the refusal.
      return { decision, target: null };
    }
    return { decision, target: cache.target(call.context.organizationId, group, call.request) };
  }

  /** Calls the core gateway with the status its usage record (and the outcome it returns) carries. */
  function upstream<Value>(
    call: ChatCall,
    status: CacheStatus,
    work: (call: ChatCall) => Promise<Value>,
  ): Promise<Value> {
    cache.count(status);
    return work({ ...call, cacheStatus: status });
  }

  /**
   * L1 → (join a flight in process) → L2 → semantic → (fill lock across replicas) → provider.
   * `work` calls the provider and returns its value and, when complete, the answer to store.
   */
  async function execute<Value>(
    call: ChatCall,
    prepared: Prepared,
    work: (call: ChatCall) => Promise<{ value: Value; answer: UnstampedAnswer | null }>,
  ): Promise<Served<Value>> {
    const { decision, target } = prepared;
    if (!target) return { value: (await upstream(call, 'bypass', work)).value };
    if (decision.read) {
      const fromMemory = cache.lookupMemory(target);
      if (fromMemory) return { hit: { answer: fromMemory, layer: 'l1' } };
      const flight = cache.flights.joinable(target.key);
      if (flight) {
        dependencies.metrics.cacheCoalesced.inc({ scope: 'process' });
        const shared = await untilAborted(flight, call.signal);
        if (shared) return { hit: { answer: shared, layer: 'l1' } };
      }
    }
    // A client that left while waiting is refused and metered by the core gateway, without leading.
    if (call.signal.aborted) return { value: (await upstream(call, 'miss', work)).value };
    let served: Served<Value> | undefined;
    const lead = async (): Promise<CachedAnswer | null> => {
      let lock: { release(): Promise<void> } | null = null;
      if (decision.read) {
        const hit = await cache.lookupShared(target, decision, call);
        if (hit) {
          served = { hit };
          return hit.answer;
        }
        const waited = await cache.acquireOrWait(target, call.signal);
        if ('answer' in waited) {
          served = { hit: { answer: waited.answer, layer: 'l2' } };
          return waited.answer;
        }
        lock = waited.lock;
      }
      try {
        const { value, answer } = await upstream(call, decision.read ? 'miss' : 'bypass', work);
        served = { value };
        // Followers in this process are served what was just stored.
        return answer ? await cache.store(target, answer, decision, call) : null;
      } finally {
        await lock?.release();
      }
    };
    await cache.flights.lead(target.key, lead);
    if (!served) throw new Error('the cache flight ended without an outcome');
    return served;
  }

  function route(model: ResolvedModel, answer: CachedAnswer): RouteInfo {
    return { deployment: model.publicId, group: answer.group, attempts: 0, fallbackReason: null };
  }

  /** The catalog entry of the model that produced an answer; null when it is no longer configured. */
  function modelOf(answer: CachedAnswer): ResolvedModel | null {
    try {
      return dependencies.catalog().resolve(answer.servedModel);
    } catch {
      return null;
    }
  }

  function meterHit(
    call: ChatCall,
    hit: CacheHit,
    model: ResolvedModel,
    outcome: { streamed: boolean; firstTokenAt: number | null; status: number; error: unknown },
  ) {
    return meter.record({
      context: call.context,
      requestId: call.requestId,
      endpoint: 'chat.completions',
      endUser: call.request.user ?? null,
      requestedModel: call.modelName,
      servedModel: model.publicId,
      provider: model.provider.name,
      ...(call.batch ? { batch: true } : {}),
      usage: hit.answer.usage,
      usageSource: hit.answer.usageSource,
      startedAt: call.startedAt,
      ...outcome,
      route: { group: hit.answer.group, attempts: 0, fallbackReason: null },
      cache: { status: `hit-${hit.layer}` },
      onCharge: call.onCharge,
    });
  }

  function answerOf(
    outcome: ChatOutcome,
    result: Pick<ChatResult, 'choices' | 'providerResponseId' | 'model'>,
    usageSource: CachedAnswer['usageSource'],
  ): UnstampedAnswer {
    return {
      version: 1,
      servedModel: outcome.model.publicId,
      providerModel: result.model,
      ...(result.providerResponseId ? { providerResponseId: result.providerResponseId } : {}),
      group: outcome.route.group,
      choices: result.choices,
      usage: outcome.usage,
      usageSource,
    };
  }

  return {
    quote: (call) => inner.quote(call),
    countTokens: (call) => inner.countTokens(call),

    async complete(call) {
      const prepared = prepare(call);
      const served = await execute(call, prepared, async (tagged) => {
        const outcome = await inner.complete(tagged);
        const answer = cacheableChoices(outcome.result)
          ? answerOf(outcome, outcome.result, outcome.result.usage ? 'provider' : 'tokenizer')
          : null;
        return { value: outcome, answer };
      });
      if ('value' in served) return served.value;
      const model = modelOf(served.hit.answer);
      if (!model) return upstream(call, 'miss', (tagged) => inner.complete(tagged));
      const status: CacheStatus = `hit-${served.hit.layer}`;
      cache.count(status);
      const { costUsd } = await meterHit(call, served.hit, model, {
        streamed: false,
        firstTokenAt: null,
        status: 200,
        error: null,
      });
      return {
        result: resultFromAnswer(served.hit.answer),
        model,
        usage: { ...served.hit.answer.usage },
        costUsd,
        route: route(model, served.hit.answer),
        servedAs: servedAs(status),
      };
    },

    async stream(call, handlers) {
      const prepared = prepare(call);
      const served = await execute(call, prepared, async (tagged) => {
        const collector = new StreamCollector();
        const outcome = await inner.stream(tagged, {
          onStart: (model, routeInfo, servedAs) => handlers.onStart(model, routeInfo, servedAs),
          onPart(part) {
            collector.add(part);
            return handlers.onPart(part);
          },
        });
        const choices = collector.complete();
        const answer =
          choices && cacheableChoices({ choices })
            ? answerOf(
                outcome,
                { choices, model: outcome.model.descriptor.modelId },
                // why: the outcome does not say whether the provider reported usage or it was counted.
                'provider',
              )
            : null;
        return { value: outcome, answer };
      });
      if ('value' in served) return served.value;
      const model = modelOf(served.hit.answer);
      if (!model) return upstream(call, 'miss', (tagged) => inner.stream(tagged, handlers));
      const status: CacheStatus = `hit-${served.hit.layer}`;
      cache.count(status);
      const hitServedAs = servedAs(status);
      const info = route(model, served.hit.answer);
      let firstTokenAt: number | null = null;
      try {
        handlers.onStart(model, info, hitServedAs);
        for (const part of partsFromAnswer(served.hit.answer)) {
          firstTokenAt ??= performance.now();
          await handlers.onPart(part);
        }
      } catch (error) {
        await meterHit(call, served.hit, model, {
          streamed: true,
          firstTokenAt,
          status: failureStatus(error, call.signal),
          error,
        });
        throw error;
      }
      const { costUsd } = await meterHit(call, served.hit, model, {
        streamed: true,
        firstTokenAt,
        status: 200,
        error: null,
      });
      const usage: TokenUsage = { ...served.hit.answer.usage };
      return { model, usage, costUsd, route: info, servedAs: hitServedAs };
    },
  };
}
