import { type Dashboard, dashboard, quantileBy, rateBy, ratio, select } from './grafana-model.ts';

const agentSwarms = dashboard({
  uid: 'kimi-agent-swarms',
  title: 'Kimi Platform / Agent swarms',
  description: 'Swarm runs and steps by outcome and duration, their queue, and knowledge-base ingestion.',
  panels: [
    {
      title: 'Runs ended by status',
      description: 'Runs per second reaching completed, failed, timed_out or cancelled.',
      unit: 'ops',
      queries: [{ expr: rateBy('status', 'kimi_swarm_runs_total'), legend: '{{status}}' }],
    },
    {
      title: 'Run duration p95',
      description: 'Creation to end, by final status.',
      unit: 's',
      queries: [
        { expr: quantileBy(0.95, 'status', 'kimi_swarm_run_duration_seconds'), legend: '{{status}}' },
      ],
    },
    {
      title: 'Run queue',
      description:
        'Runs waiting, running, delayed and failed on the swarm queue; and the oldest waiting run.',
      queries: [
        { expr: `sum by (state) (${select('kimi_queue_jobs', 'queue="swarm-runs"')})`, legend: '{{state}}' },
        {
          expr: `max(${select('kimi_queue_oldest_waiting_job_age_seconds', 'queue="swarm-runs"')})`,
          legend: 'oldest waiting (s)',
        },
      ],
    },
    {
      title: 'Steps by kind and outcome',
      description: 'Plans, model calls, tool calls, agent results and syntheses per second.',
      unit: 'ops',
      width: 12,
      queries: [{ expr: rateBy('kind, outcome', 'kimi_swarm_steps_total'), legend: '{{kind}} {{outcome}}' }],
    },
    {
      title: 'Step duration p95 by kind',
      description: 'Start to result.',
      unit: 's',
      width: 12,
      queries: [{ expr: quantileBy(0.95, 'kind', 'kimi_swarm_step_duration_seconds'), legend: '{{kind}}' }],
    },
    {
      title: 'Documents ingested by outcome',
      description: 'Knowledge-base documents per second that became ready or failed.',
      unit: 'ops',
      queries: [{ expr: rateBy('outcome', 'kimi_knowledge_documents_total'), legend: '{{outcome}}' }],
    },
    {
      title: 'Chunks stored per second',
      description: 'Chunks embedded and stored by ingestion.',
      unit: 'ops',
      queries: [{ expr: rateBy('', 'kimi_knowledge_chunks_total'), legend: 'chunks' }],
    },
    {
      title: 'Ingestion duration p95',
      description: 'One document job, by outcome.',
      unit: 's',
      queries: [
        {
          expr: quantileBy(0.95, 'outcome', 'kimi_knowledge_ingestion_duration_seconds'),
          legend: '{{outcome}}',
        },
      ],
    },
  ],
});

const providerStatus = dashboard({
  uid: 'kimi-llm-provider-status',
  title: 'Kimi Platform / LLM provider status',
  description:
    'Each deployment: calls, success ratio, circuit breaker, latency; requests by model and provider.',
  panels: [
    {
      title: 'Provider calls by deployment and outcome',
      description: 'Every attempt at a deployment, retries and fallbacks included.',
      unit: 'ops',
      width: 12,
      queries: [
        {
          expr: rateBy('deployment, outcome', 'kimi_provider_calls_total'),
          legend: '{{deployment}} {{outcome}}',
        },
      ],
    },
    {
      title: 'Success ratio by deployment',
      description: 'Share of attempts that succeeded.',
      unit: 'percentunit',
      width: 12,
      range: { min: 0, max: 1 },
      queries: [
        {
          expr: ratio('kimi_provider_calls_total', 'outcome="success"', 'deployment'),
          legend: '{{deployment}}',
        },
      ],
    },
    {
      title: 'Circuit breaker state',
      description: '0 closed, 1 half-open, 2 open; the worst replica per deployment.',
      kind: 'bargauge',
      range: { min: 0, max: 2 },
      queries: [
        { expr: `max by (deployment) (${select('kimi_circuit_breaker_state')})`, legend: '{{deployment}}' },
      ],
    },
    {
      title: 'Requests by model and provider',
      description: 'Model API requests per second.',
      unit: 'reqps',
      queries: [
        { expr: rateBy('model, provider', 'kimi_model_requests_total'), legend: '{{provider}} {{model}}' },
      ],
    },
    {
      title: 'Latency p95 by provider',
      description: 'Model requests, arrival to last byte.',
      unit: 's',
      queries: [
        { expr: quantileBy(0.95, 'provider', 'kimi_model_request_duration_seconds'), legend: '{{provider}}' },
      ],
    },
  ],
});

const costAnalytics = dashboard({
  uid: 'kimi-cost-analytics',
  title: 'Kimi Platform / Cost analytics',
  description:
    'Spend by model and provider, tokens, cost per thousand tokens, cache savings and budget utilisation.',
  panels: [
    {
      title: 'Cost in the last 24 hours',
      description: 'USD metered across every replica.',
      kind: 'stat',
      unit: 'currencyUSD',
      queries: [{ expr: `sum(increase(${select('kimi_cost_usd_total')}[24h]))` }],
    },
    {
      title: 'Cache savings in the last 24 hours',
      description: 'Provider cost avoided by answers from the cache.',
      kind: 'stat',
      unit: 'currencyUSD',
      queries: [{ expr: `sum(increase(${select('kimi_cache_saved_usd_total')}[24h]))` }],
    },
    {
      title: 'Budget utilisation',
      description:
        'The most-spent configured budget in its current period (the P2 alert fires above 90%). No budget is named: /metrics is unauthenticated and budgets belong to organisations; GET /v1/admin/organizations/{id}/budgets shows each.',
      kind: 'bargauge',
      unit: 'percentunit',
      range: { min: 0, max: 1 },
      queries: [{ expr: `max(${select('kimi_budget_utilization_max_ratio')})`, legend: 'highest' }],
    },
    {
      title: 'Budgets by utilisation',
      description: 'Configured budgets by how much of their current period they have spent (1+ = exhausted).',
      kind: 'bargauge',
      queries: [{ expr: `max by (band) (${select('kimi_budgets_by_utilization')})`, legend: '{{band}}' }],
    },
    {
      title: 'Cost per hour by model',
      description: 'USD per hour, by model and provider.',
      unit: 'currencyUSD',
      width: 12,
      queries: [
        {
          expr: `${rateBy('model, provider', 'kimi_cost_usd_total')} * 3600`,
          legend: '{{provider}} {{model}}',
        },
      ],
    },
    {
      title: 'Tokens per second by model and kind',
      description: 'Prompt, completion and cached prompt tokens.',
      width: 12,
      queries: [{ expr: rateBy('model, kind', 'kimi_tokens_total'), legend: '{{model}} {{kind}}' }],
    },
    {
      title: 'Cost per 1,000 tokens by model',
      description: 'Effective price paid, cached tokens included.',
      unit: 'currencyUSD',
      width: 12,
      queries: [
        {
          expr: `${rateBy('model', 'kimi_cost_usd_total')} / ${rateBy('model', 'kimi_tokens_total')} * 1000`,
          legend: '{{model}}',
        },
      ],
    },
    {
      title: 'Cache savings per hour by layer',
      description: 'USD per hour not spent thanks to the L1, L2 and semantic caches.',
      unit: 'currencyUSD',
      width: 12,
      queries: [{ expr: `${rateBy('layer', 'kimi_cache_saved_usd_total')} * 3600`, legend: '{{layer}}' }],
    },
  ],
});

const database = dashboard({
  uid: 'kimi-database',
  title: 'Kimi Platform / Database',
  description:
    'Connection pool use (node-postgres; PGlite reports its one connection), reachability, and the metering writer that is the hot path’s only database write.',
  panels: [
    {
      title: 'Database reachable',
      description: 'Per replica, at its last scrape (the P0 alert fires on 0).',
      kind: 'stat',
      range: { min: 0, max: 1 },
      queries: [
        {
          expr: `min by (instance) (${select('kimi_dependency_up', 'dependency="database"')})`,
          legend: '{{instance}}',
        },
      ],
    },
    {
      title: 'Connections by state',
      description: 'Open (total), idle, and callers waiting for a connection.',
      width: 8,
      queries: [{ expr: `sum by (state) (${select('kimi_database_connections')})`, legend: '{{state}}' }],
    },
    {
      title: 'Pool in use',
      description: 'Connections busy over the pool maximum.',
      unit: 'percentunit',
      range: { min: 0, max: 1 },
      queries: [
        {
          expr: `sum(${select('kimi_database_connections', 'state="total"')} - ignoring(state) ${select('kimi_database_connections', 'state="idle"')}) / sum(${select('kimi_database_connections_max')})`,
          legend: 'in use',
        },
      ],
    },
    {
      title: 'Metering write duration p95',
      description: 'Each group-commit INSERT of usage records.',
      unit: 's',
      queries: [{ expr: quantileBy(0.95, '', 'kimi_metering_write_duration_seconds'), legend: 'p95' }],
    },
    {
      title: 'Metering batch size p50',
      description: 'Usage records per INSERT: larger batches under load.',
      queries: [{ expr: quantileBy(0.5, '', 'kimi_metering_batch_records'), legend: 'records' }],
    },
    {
      title: 'Metering queue',
      description: 'Records accepted but not committed, and requests waiting for room (backpressure).',
      queries: [
        { expr: `sum(${select('kimi_metering_queue_depth')})`, legend: 'queued' },
        { expr: `sum(${select('kimi_metering_backpressure_waiting')})`, legend: 'waiting' },
      ],
    },
    {
      title: 'Job queues',
      description:
        'Jobs waiting per queue (swarm runs, ingestion, batches, background responses, alert deliveries).',
      width: 12,
      queries: [
        { expr: `sum by (queue) (${select('kimi_queue_jobs', 'state="waiting"')})`, legend: '{{queue}}' },
      ],
    },
    {
      title: 'Oldest waiting job',
      description: 'Age of the oldest job waiting per queue.',
      unit: 's',
      width: 12,
      queries: [
        {
          expr: `max by (queue) (${select('kimi_queue_oldest_waiting_job_age_seconds')})`,
          legend: '{{queue}}',
        },
      ],
    },
  ],
});

const cacheEfficiency = dashboard({
  uid: 'kimi-cache-efficiency',
  title: 'Kimi Platform / Cache efficiency',
  description: 'Response cache hit ratio, lookups by layer, savings, L1 size and Redis command latency.',
  panels: [
    {
      title: 'Hit ratio',
      description: 'Share of chat lookups answered from a cache layer.',
      kind: 'stat',
      unit: 'percentunit',
      queries: [{ expr: ratio('kimi_cache_requests_total', 'result="hit"') }],
    },
    {
      title: 'Lookups by result and layer',
      description: 'Hits per layer (l1, l2, semantic), misses and bypasses.',
      unit: 'ops',
      width: 16,
      queries: [
        { expr: rateBy('result, layer', 'kimi_cache_requests_total'), legend: '{{result}} {{layer}}' },
      ],
    },
    {
      title: 'Savings per hour',
      description: 'USD per hour the cache avoided.',
      unit: 'currencyUSD',
      queries: [{ expr: `${rateBy('', 'kimi_cache_saved_usd_total')} * 3600`, legend: 'USD/h' }],
    },
    {
      title: 'L1 size',
      description: 'Bytes and answers held in process, per replica.',
      unit: 'bytes',
      queries: [
        { expr: `sum by (instance) (${select('kimi_cache_l1_bytes')})`, legend: '{{instance}} bytes' },
        { expr: `sum by (instance) (${select('kimi_cache_l1_entries')})`, legend: '{{instance}} entries' },
      ],
    },
    {
      title: 'Key-value store reachable',
      description: 'Redis answered the last scrape’s ping (the cache degrades to misses when not).',
      kind: 'stat',
      range: { min: 0, max: 1 },
      queries: [{ expr: `min(${select('kimi_dependency_up', 'dependency="key_value_store"')})` }],
    },
    {
      title: 'Redis command latency p99 by operation',
      description: 'Cache reads and writes, counters, limit scripts.',
      unit: 's',
      width: 24,
      queries: [
        {
          expr: quantileBy(0.99, 'operation', 'kimi_redis_command_duration_seconds'),
          legend: '{{operation}}',
        },
      ],
    },
  ],
});

/** The dashboards about the platform's parts: swarms, providers, cost, database, cache. */
export const serviceDashboards: readonly Dashboard[] = [
  agentSwarms,
  providerStatus,
  costAnalytics,
  database,
  cacheEfficiency,
];
