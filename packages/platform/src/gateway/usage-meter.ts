import type { CacheStatus } from '../cache/index.ts';
import { isPlatformError } from '../errors/index.ts';
import {
  batchPrice,
  costInPicoUsd,
  type PriceTable,
  picoUsdToDecimal,
  type UsageEndpoint,
  type UsageLedger,
  type UsageSource,
} from '../metering/index.ts';
import type { TokenUsage } from '../model/index.ts';
import type { ResolvedModel } from '../routing/index.ts';
import type { Clock } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { clientClosedStatus, failureStatus } from './failure-status.ts';

export interface MeteredOutcome {
  context: AuthContext;
  requestId: string;
  endpoint: UsageEndpoint;
  endUser: string | null;
  requestedModel: string | null;
  /** The public id that served (or was to serve) the request. */
  servedModel: string | null;
  provider: string | null;
  usage: TokenUsage | null;
  usageSource: UsageSource;
  /** performance.now() at arrival, and at first content for streams. */
  startedAt: number;
  firstTokenAt: number | null;
  streamed: boolean;
  status: number;
  error: unknown;
  /** How the request was routed; null when it was refused before routing. */
  route: RouteRecord | null;
  /** What the response cache did; a hit is priced at 0 and records the cost it saved. */
  cache?: { status: CacheStatus };
  /** Told the request's exact charge as soon as it is priced (budgets settle with it). */
  onCharge?: ((charge: MeteredCharge) => void) | undefined;
  /** A batch line: priced at the model's batch discount (`batch_discount_percent`), if any. */
  batch?: boolean;
}

/** What a metered request cost, as budgets, token limits and quotas settle it. */
export interface MeteredCharge {
  costPicoUsd: bigint;
  totalTokens: number;
  /** True when the request counts against a monthly quota: it was served or reached a provider. */
  countsAsRequest: boolean;
}

export interface RouteRecord {
  group: string;
  attempts: number;
  fallbackReason: string | null;
}

export interface RefusedRequest {
  context: AuthContext;
  requestId: string;
  endpoint: UsageEndpoint;
  requestedModel: string | null;
  startedAt: number;
  /** A PlatformError (its status is recorded); anything else is recorded as a 400. */
  error: unknown;
}

export interface UsageMeter {
  /** Prices, records durably (resolves after commit) and counts metrics; returns the exact cost. */
  record(outcome: MeteredOutcome): Promise<{ costUsd: string; costPicoUsd: bigint }>;
  /** Records a request refused before any provider call (bad input, unknown model…). */
  recordRefusal(refused: RefusedRequest): Promise<void>;
  /**
   * Whether this error already is a request's usage record: the gateway meters every failure it
   * sees, so a surface meters only the refusals that never reached it (bad input, say).
   */
  hasMetered(error: unknown): boolean;
}

/** The model fields of an outcome: what served it, or nulls when resolution failed. */
export function servedBy(model: ResolvedModel | undefined): Pick<MeteredOutcome, 'servedModel' | 'provider'> {
  return { servedModel: model?.publicId ?? null, provider: model?.provider.name ?? null };
}

/** The outcome fields of a request that failed before any billable output. */
export function failedWithoutOutput(
  error: unknown,
  signal: AbortSignal,
): Pick<MeteredOutcome, 'usage' | 'usageSource' | 'status' | 'error'> {
  return { usage: null, usageSource: 'none', status: failureStatus(error, signal), error };
}

export function createUsageMeter(dependencies: {
  ledger: UsageLedger;
  /** The prices in force now (they change on a config reload). */
  prices: () => PriceTable;
  metrics: Metrics;
  clock: Clock;
  /**
   * Whether a requested model name is one the platform serves. A refused or failed request for
   * any other name is labelled `unknown` in the metrics: the caller chooses that text, so it must
   * not become a series. Default: every name is labelled `unknown` unless a deployment served it.
   */
  knownModel?: (name: string) => boolean;
}): UsageMeter {
  const { ledger, metrics, clock } = dependencies;
  // why weak: an error lives as long as someone handles it; the record is keyed by the request id.
  const meteredErrors = new WeakSet<object>();
  const meter: UsageMeter = {
    hasMetered: (error) => typeof error === 'object' && error !== null && meteredErrors.has(error),
    async recordRefusal(refused) {
      await meter.record({
        ...refused,
        endUser: null,
        servedModel: null,
        provider: null,
        usage: null,
        usageSource: 'none',
        firstTokenAt: null,
        streamed: false,
        route: null,
        status: isPlatformError(refused.error) ? refused.error.status : 400,
      });
    },
    async record(outcome) {
      if (typeof outcome.error === 'object' && outcome.error !== null) meteredErrors.add(outcome.error);
      const prices = dependencies.prices();
      const finishedAt = performance.now();
      const usage = outcome.usage ?? { promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0 };
      const cacheStatus = outcome.cache?.status ?? null;
      const cacheHit = cacheStatus?.startsWith('hit-') === true;
      const price = outcome.servedModel ? prices.priceFor(outcome.servedModel) : null;
      const unpriced = outcome.servedModel !== null && price === null;
      const fullPico = costInPicoUsd(usage, price);
      const listPico = outcome.batch ? batchPrice(fullPico, price) : fullPico;
      // A cached answer costs nothing upstream; what the provider would have charged is what it saved.
      const costPico = cacheHit ? 0n : listPico;
      const savedPico = cacheHit ? listPico : 0n;
      const costUsd = picoUsdToDecimal(costPico);
      outcome.onCharge?.({
        costPicoUsd: costPico,
        totalTokens: usage.promptTokens + usage.completionTokens,
        countsAsRequest: outcome.status < 400 || (outcome.route?.attempts ?? 0) > 0,
      });
      const errorCode = outcome.error
        ? isPlatformError(outcome.error)
          ? outcome.error.code
          : outcome.status === clientClosedStatus
            ? 'CLIENT_CLOSED_REQUEST'
            : 'INTERNAL_ERROR'
        : null;
      const requested = outcome.requestedModel;
      const model =
        outcome.servedModel ??
        (requested && dependencies.knownModel?.(requested) === true ? requested : 'unknown');
      const provider = outcome.provider ?? 'none';
      const latencyMs = finishedAt - outcome.startedAt;
      metrics.modelRequests.inc({
        endpoint: outcome.endpoint,
        model,
        provider,
        status: String(outcome.status),
      });
      metrics.requestDuration.observe(
        { endpoint: outcome.endpoint, model, provider, streamed: String(outcome.streamed) },
        latencyMs / 1000,
      );
      if (outcome.firstTokenAt !== null) {
        metrics.timeToFirstToken.observe(
          { model, provider },
          (outcome.firstTokenAt - outcome.startedAt) / 1000,
        );
      }
      if (usage.promptTokens > 0) metrics.tokens.inc({ model, provider, kind: 'prompt' }, usage.promptTokens);
      if (usage.completionTokens > 0)
        metrics.tokens.inc({ model, provider, kind: 'completion' }, usage.completionTokens);
      if (usage.cachedPromptTokens > 0)
        metrics.tokens.inc({ model, provider, kind: 'cached' }, usage.cachedPromptTokens);
      if (costPico > 0n) metrics.cost.inc({ model, provider }, Number(costPico) / 1e12);
      if (savedPico > 0n && cacheStatus) {
        metrics.cacheSavedUsd.inc({ layer: cacheStatus.slice('hit-'.length) }, Number(savedPico) / 1e12);
      }
      if (outcome.route?.fallbackReason) metrics.fallbacks.inc({ reason: outcome.route.fallbackReason });
      await ledger.record({
        requestId: outcome.requestId,
        organizationId: outcome.context.organizationId,
        apiKeyId: outcome.context.apiKeyId,
        teamId: outcome.context.teamId,
        endUser: outcome.endUser,
        endpoint: outcome.endpoint,
        requestedModel: outcome.requestedModel,
        provider: outcome.provider,
        deployment: outcome.servedModel,
        servedModel: outcome.servedModel,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        cachedTokens: usage.cachedPromptTokens,
        cacheWriteTokens: usage.cacheWritePromptTokens ?? 0,
        cacheWriteOneHourTokens: usage.cacheWriteOneHourPromptTokens ?? 0,
        costUsd,
        priceVersion: outcome.servedModel ? prices.version : null,
        unpriced,
        usageSource: outcome.usageSource,
        latencyMs,
        timeToFirstTokenMs: outcome.firstTokenAt === null ? null : outcome.firstTokenAt - outcome.startedAt,
        streamed: outcome.streamed,
        status: outcome.status,
        errorCode,
        modelGroup: outcome.route?.group ?? null,
        attempts: outcome.route?.attempts ?? 0,
        fallbackReason: outcome.route?.fallbackReason ?? null,
        cacheStatus,
        cacheSavedUsd: picoUsdToDecimal(savedPico),
        createdAt: new Date(clock.now()),
      });
      return { costUsd, costPicoUsd: costPico };
    },
  };
  return meter;
}
