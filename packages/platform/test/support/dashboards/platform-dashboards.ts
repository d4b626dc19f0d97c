import { type Dashboard, dashboard, quantileBy, rateBy, ratio, select } from './grafana-model.ts';

const systemOverview = dashboard({
  uid: 'kimi-system-overview',
  title: 'Kimi Platform / System overview',
  description:
    'Is the platform up, how busy it is, how fast it answers and what it costs: the first page to open.',
  panels: [
    {
      title: 'Replicas up',
      description: 'Instances Prometheus scraped successfully.',
      kind: 'stat',
      queries: [{ expr: `sum(${select('up')})` }],
    },
    {
      title: 'Database reachable',
      description: '1 when every replica reached the database at its last scrape.',
      kind: 'stat',
      range: { min: 0, max: 1 },
      queries: [{ expr: `min(${select('kimi_dependency_up', 'dependency="database"')})` }],
    },
    {
      title: 'Key-value store reachable',
      description: '1 when every replica reached Redis (or uses the in-process store).',
      kind: 'stat',
      range: { min: 0, max: 1 },
      queries: [{ expr: `min(${select('kimi_dependency_up', 'dependency="key_value_store"')})` }],
    },
    {
      title: 'Requests per second by status',
      description: 'HTTP requests answered, by status code.',
      unit: 'reqps',
      width: 12,
      queries: [{ expr: rateBy('status', 'kimi_http_requests_total'), legend: '{{status}}' }],
    },
    {
      title: 'HTTP latency p95',
      description: '95th percentile of HTTP request duration over every route.',
      unit: 's',
      width: 12,
      queries: [{ expr: quantileBy(0.95, '', 'kimi_http_request_duration_seconds'), legend: 'p95' }],
    },
    {
      title: 'Event loop lag p99',
      description: "Each replica's event-loop delay: high values mean the process is CPU-bound.",
      unit: 's',
      queries: [{ expr: `max by (instance) (${select('kimi_process_nodejs_eventloop_lag_p99_seconds')})` }],
    },
    {
      title: 'Heap used',
      description: 'V8 heap in use per replica.',
      unit: 'bytes',
      queries: [{ expr: `sum by (instance) (${select('kimi_process_nodejs_heap_size_used_bytes')})` }],
    },
    {
      title: 'Cost per hour',
      description: 'Provider cost metered, in USD per hour.',
      unit: 'currencyUSD',
      queries: [{ expr: `${rateBy('', 'kimi_cost_usd_total')} * 3600`, legend: 'USD/h' }],
    },
  ],
});

const apiPerformance = dashboard({
  uid: 'kimi-api-performance',
  title: 'Kimi Platform / API performance',
  description: 'Rate, errors and duration (RED) per route, and model latency including time to first token.',
  panels: [
    {
      title: 'Requests per second by route',
      description: 'By route template and method (never by raw URL).',
      unit: 'reqps',
      width: 12,
      queries: [
        { expr: rateBy('route, method', 'kimi_http_requests_total'), legend: '{{method}} {{route}}' },
      ],
    },
    {
      title: 'HTTP latency percentiles',
      description: 'p50, p95 and p99 over every route.',
      unit: 's',
      width: 12,
      queries: [
        { expr: quantileBy(0.5, '', 'kimi_http_request_duration_seconds'), legend: 'p50' },
        { expr: quantileBy(0.95, '', 'kimi_http_request_duration_seconds'), legend: 'p95' },
        { expr: quantileBy(0.99, '', 'kimi_http_request_duration_seconds'), legend: 'p99' },
      ],
    },
    {
      title: 'p95 latency by route',
      description: 'The slowest routes first.',
      unit: 's',
      width: 12,
      queries: [
        { expr: quantileBy(0.95, 'route', 'kimi_http_request_duration_seconds'), legend: '{{route}}' },
      ],
    },
    {
      title: 'Error ratio by route',
      description: 'Share of 5xx answers per route.',
      unit: 'percentunit',
      width: 12,
      queries: [{ expr: ratio('kimi_http_requests_total', 'status=~"5.."', 'route'), legend: '{{route}}' }],
    },
    {
      title: 'Model request latency p95 by model',
      description: 'From arrival to the last byte, per model served.',
      unit: 's',
      queries: [
        { expr: quantileBy(0.95, 'model', 'kimi_model_request_duration_seconds'), legend: '{{model}}' },
      ],
    },
    {
      title: 'Time to first token p95',
      description: 'Streaming requests: arrival to the first content token, per model.',
      unit: 's',
      queries: [{ expr: quantileBy(0.95, 'model', 'kimi_time_to_first_token_seconds'), legend: '{{model}}' }],
    },
    {
      title: 'Model requests in flight',
      description: 'Being served now, by endpoint; and admission checks waiting on the limits store.',
      queries: [
        { expr: `sum by (endpoint) (${select('kimi_model_requests_in_flight')})`, legend: '{{endpoint}}' },
        { expr: `sum(${select('kimi_admission_pending_operations')})`, legend: 'admission pending' },
      ],
    },
  ],
});

const errors = dashboard({
  uid: 'kimi-errors',
  title: 'Kimi Platform / Errors',
  description:
    'Failed requests by route, status and model; provider failures; refusals by limits and budgets.',
  panels: [
    {
      title: '5xx ratio',
      description: 'Share of HTTP answers that were server errors (the P1 alert fires above 5%).',
      kind: 'stat',
      unit: 'percentunit',
      queries: [{ expr: ratio('kimi_http_requests_total', 'status=~"5.."') }],
    },
    {
      title: 'Errors per second by route and status',
      description: '4xx and 5xx answers.',
      unit: 'reqps',
      width: 16,
      queries: [
        {
          expr: rateBy('route, status', 'kimi_http_requests_total', 'status=~"[45].."'),
          legend: '{{status}} {{route}}',
        },
      ],
    },
    {
      title: 'Failed model requests by model and status',
      description: 'Model API requests that did not succeed (refused, failed upstream, cancelled).',
      unit: 'reqps',
      width: 12,
      queries: [
        {
          expr: rateBy('model, status', 'kimi_model_requests_total', 'status!~"2.."'),
          legend: '{{status}} {{model}}',
        },
      ],
    },
    {
      title: 'Provider call failures by deployment',
      description: 'Attempts at a deployment that failed (retries and fallbacks included).',
      unit: 'ops',
      width: 12,
      queries: [
        {
          expr: rateBy('deployment', 'kimi_provider_calls_total', 'outcome="failure"'),
          legend: '{{deployment}}',
        },
      ],
    },
    {
      title: 'Refusals by reason',
      description: 'Requests refused by a plan, quota, rate limit, concurrency limit or budget.',
      unit: 'ops',
      width: 12,
      queries: [{ expr: rateBy('reason', 'kimi_admission_refusals_total'), legend: '{{reason}}' }],
    },
    {
      title: 'Metering write errors',
      description:
        'Failed usage INSERTs (they are retried; persistent errors mean the database is in trouble).',
      unit: 'ops',
      width: 12,
      queries: [{ expr: rateBy('', 'kimi_metering_write_errors_total'), legend: 'errors' }],
    },
  ],
});

const userActivity = dashboard({
  uid: 'kimi-user-activity',
  title: 'Kimi Platform / User activity',
  description:
    'What callers do, in aggregate: endpoints, models, streaming, tokens, swarms and documents. Per-organisation and per-key figures are in /v1/usage and the admin dashboard, never in metric labels.',
  panels: [
    {
      title: 'Model requests per second by endpoint',
      description: 'Chat, embeddings, responses, messages.',
      unit: 'reqps',
      width: 12,
      queries: [{ expr: rateBy('endpoint', 'kimi_model_requests_total'), legend: '{{endpoint}}' }],
    },
    {
      title: 'Requests per second by model',
      description: 'The models callers use.',
      unit: 'reqps',
      width: 12,
      queries: [{ expr: rateBy('model', 'kimi_model_requests_total'), legend: '{{model}}' }],
    },
    {
      title: 'Streamed and JSON requests',
      description: 'Model requests by whether the answer was streamed.',
      unit: 'reqps',
      queries: [
        {
          expr: rateBy('streamed', 'kimi_model_request_duration_seconds_count'),
          legend: 'streamed={{streamed}}',
        },
      ],
    },
    {
      title: 'Tokens per request',
      description: 'Tokens metered (prompt and completion) over model requests.',
      queries: [
        {
          expr: `${rateBy('', 'kimi_tokens_total', 'kind=~"prompt|completion"')} / ${rateBy('', 'kimi_model_requests_total')}`,
          legend: 'tokens/request',
        },
      ],
    },
    {
      title: 'Rate-limit refusals',
      description: 'Requests refused by a rate or concurrency limit (429).',
      unit: 'ops',
      queries: [
        {
          expr: rateBy('reason', 'kimi_admission_refusals_total', 'reason=~".*limit.*"'),
          legend: '{{reason}}',
        },
      ],
    },
    {
      title: 'Swarm runs ended',
      description: 'Agent swarm runs per second by final status.',
      unit: 'ops',
      width: 12,
      queries: [{ expr: rateBy('status', 'kimi_swarm_runs_total'), legend: '{{status}}' }],
    },
    {
      title: 'Documents ingested',
      description: 'Knowledge-base documents per second by outcome.',
      unit: 'ops',
      width: 12,
      queries: [{ expr: rateBy('outcome', 'kimi_knowledge_documents_total'), legend: '{{outcome}}' }],
    },
  ],
});

const slaCompliance = dashboard({
  uid: 'kimi-sla-compliance',
  title: 'Kimi Platform / SLA compliance',
  description:
    'The two SLOs over API routes (scrapes and probes excluded), service-wide: 99.9% of requests answered without a 5xx, and p95 latency under 500 ms (95% of requests within 0.5 s). Error budgets over 30 days and burn rates from the recording rules.',
  panels: [
    {
      title: 'Availability (30 days)',
      description: 'Share of API requests answered without a 5xx; the objective is 99.9%.',
      kind: 'stat',
      unit: 'percentunit',
      queries: [{ expr: '1 - avg_over_time(kimi:slo_availability_error_ratio:rate5m[30d])' }],
    },
    {
      title: 'Availability error budget left',
      description: 'Of the 0.1% of requests the SLO allows to fail in 30 days, the share not spent.',
      kind: 'gauge',
      unit: 'percentunit',
      range: { min: 0, max: 1 },
      queries: [{ expr: '1 - avg_over_time(kimi:slo_availability_error_ratio:rate5m[30d]) / 0.001' }],
    },
    {
      title: 'Availability burn rate',
      description:
        'How fast the budget burns (1 = exactly on budget); the P1 alert fires at 14.4 over 1 h and 5 min.',
      queries: [
        { expr: 'kimi:slo_availability_error_ratio:rate5m / 0.001', legend: '5m' },
        { expr: 'kimi:slo_availability_error_ratio:rate1h / 0.001', legend: '1h' },
        { expr: 'kimi:slo_availability_error_ratio:rate6h / 0.001', legend: '6h' },
      ],
    },
    {
      title: 'Requests within 500 ms (30 days)',
      description: 'Share of API requests answered within 0.5 s; the objective is 95% (p95 < 500 ms).',
      kind: 'stat',
      unit: 'percentunit',
      queries: [{ expr: '1 - avg_over_time(kimi:slo_latency_slow_ratio:rate5m[30d])' }],
    },
    {
      title: 'Latency error budget left',
      description: 'Of the 5% of requests the SLO allows to take longer than 500 ms, the share not spent.',
      kind: 'gauge',
      unit: 'percentunit',
      range: { min: 0, max: 1 },
      queries: [{ expr: '1 - avg_over_time(kimi:slo_latency_slow_ratio:rate5m[30d]) / 0.05' }],
    },
    {
      title: 'Latency burn rate',
      description: 'Slow requests over the 5% budget (1 = exactly on budget).',
      queries: [
        { expr: 'kimi:slo_latency_slow_ratio:rate5m / 0.05', legend: '5m' },
        { expr: 'kimi:slo_latency_slow_ratio:rate1h / 0.05', legend: '1h' },
        { expr: 'kimi:slo_latency_slow_ratio:rate6h / 0.05', legend: '6h' },
      ],
    },
    {
      title: 'p95 latency against the objective',
      description: 'API p95 over 5 minutes, and the 500 ms objective.',
      unit: 's',
      width: 24,
      queries: [
        { expr: 'kimi:slo_http_request_duration_seconds:p95_rate5m', legend: 'p95' },
        { expr: `0 * kimi:slo_http_request_duration_seconds:p95_rate5m + 0.5`, legend: 'objective' },
      ],
    },
  ],
});

/** The dashboards about the platform as a service: overview, API, errors, activity, SLOs. */
export const platformDashboards: readonly Dashboard[] = [
  systemOverview,
  apiPerformance,
  errors,
  userActivity,
  slaCompliance,
];
