import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createOperationsMetrics, latencyBuckets } from './operations-metrics.ts';

/** Every Prometheus metric of one app instance, on its own registry (no global state). */
export function createMetrics(options: { defaultMetrics: boolean }) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'kimi_process_' });
  const registers = [registry];
  return {
    registry,
    ...createOperationsMetrics(registry),
    httpRequests: new Counter({
      name: 'kimi_http_requests_total',
      help: 'HTTP requests by route, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    modelRequests: new Counter({
      name: 'kimi_model_requests_total',
      help: 'Model API requests by endpoint, model, provider and status.',
      labelNames: ['endpoint', 'model', 'provider', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'kimi_model_request_duration_seconds',
      help: 'Model API request latency, from arrival to the last byte.',
      labelNames: ['endpoint', 'model', 'provider', 'streamed'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'kimi_time_to_first_token_seconds',
      help: 'Streaming requests: time from arrival to the first content token.',
      labelNames: ['model', 'provider'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    tokens: new Counter({
      name: 'kimi_tokens_total',
      help: 'Tokens metered, by model, provider and kind (prompt, completion, cached).',
      labelNames: ['model', 'provider', 'kind'] as const,
      registers,
    }),
    cost: new Counter({
      name: 'kimi_cost_usd_total',
      help: 'Cost metered in USD, by model and provider.',
      labelNames: ['model', 'provider'] as const,
      registers,
    }),
    inFlight: new Gauge({
      name: 'kimi_model_requests_in_flight',
      help: 'Model API requests being served now.',
      labelNames: ['endpoint'] as const,
      registers,
    }),
    meteringQueueDepth: new Gauge({
      name: 'kimi_metering_queue_depth',
      help: 'Usage records accepted but not yet committed.',
      registers,
    }),
    meteringWaiting: new Gauge({
      name: 'kimi_metering_backpressure_waiting',
      help: 'Requests waiting for room in the metering queue (backpressure).',
      registers,
    }),
    meteringBatchSize: new Histogram({
      name: 'kimi_metering_batch_records',
      help: 'Usage records per group-commit INSERT.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    }),
    meteringWriteDuration: new Histogram({
      name: 'kimi_metering_write_duration_seconds',
      help: 'Duration of each group-commit INSERT.',
      buckets: latencyBuckets,
      registers,
    }),
    providerCalls: new Counter({
      name: 'kimi_provider_calls_total',
      help: 'Calls to provider deployments (retries and fallbacks included), by outcome.',
      labelNames: ['deployment', 'outcome'] as const,
      registers,
    }),
    fallbacks: new Counter({
      name: 'kimi_fallbacks_total',
      help: 'Requests served by other than their first-choice deployment, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    breakerState: new Gauge({
      name: 'kimi_circuit_breaker_state',
      help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.',
      labelNames: ['deployment'] as const,
      registers,
    }),
    meteringWriteErrors: new Counter({
      name: 'kimi_metering_write_errors_total',
      help: 'Failed usage INSERT attempts (retried).',
      registers,
    }),
    admissionRefusals: new Counter({
      name: 'kimi_admission_refusals_total',
      help: 'Requests refused by a plan, quota, rate limit, concurrency limit or budget.',
      labelNames: ['reason'] as const,
      registers,
    }),
    admissionPending: new Gauge({
      name: 'kimi_admission_pending_operations',
      help: 'Requests whose limits and budgets are being checked against the store (backpressure).',
      registers,
    }),
    admissionErrors: new Counter({
      name: 'kimi_admission_store_errors_total',
      help: 'Failed operations on the limits store (checks fail closed, settlements are logged).',
      labelNames: ['operation'] as const,
      registers,
    }),
    budgetReconciliations: new Counter({
      name: 'kimi_budget_reconciliations_total',
      help: 'Live budget counters compared with the usage records; raised when the records showed more.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'kimi_cache_requests_total',
      help: 'Chat requests by cache result (hit, miss, bypass) and the layer that answered (l1, l2, semantic, none).',
      labelNames: ['result', 'layer'] as const,
      registers,
    }),
    cacheBytes: new Gauge({
      name: 'kimi_cache_l1_bytes',
      help: 'Bytes held by the in-process (L1) response cache.',
      registers,
    }),
    cacheEntries: new Gauge({
      name: 'kimi_cache_l1_entries',
      help: 'Answers held by the in-process (L1) response cache.',
      registers,
    }),
    cacheEvictions: new Counter({
      name: 'kimi_cache_evictions_total',
      help: 'Answers evicted from the L1 cache, by reason (capacity, expired).',
      labelNames: ['layer', 'reason'] as const,
      registers,
    }),
    cacheSavedUsd: new Counter({
      name: 'kimi_cache_saved_usd_total',
      help: 'Provider cost avoided by answers served from the cache, in USD, by layer.',
      labelNames: ['layer'] as const,
      registers,
    }),
    cacheFailures: new Counter({
      name: 'kimi_cache_failures_total',
      help: 'Cache operations that failed and were degraded around (the request was still served), by layer and operation.',
      labelNames: ['layer', 'operation'] as const,
      registers,
    }),
    cacheCoalesced: new Counter({
      name: 'kimi_cache_coalesced_total',
      help: 'Requests that waited for an identical request in flight instead of calling the provider, by scope (process, replica).',
      labelNames: ['scope'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
