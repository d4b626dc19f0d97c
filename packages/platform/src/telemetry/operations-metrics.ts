import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createBudgetUtilizationMetrics } from './budget-utilization.ts';

/** Latency buckets for whole requests and jobs: a millisecond to two minutes. */
export const latencyBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];

// why fewer buckets: this histogram has a series per route, method and status, so each bucket
// multiplies them; these still hold the SLO's 0.5 s and the P1 alert's 2 s boundaries.
const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

// why: Redis commands on the hot path take well under a millisecond; the coarse buckets above
// would put them all in the first one.
const commandBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5];

/** Metric constructors bound to one registry; a metric's label names are its type's. */
function onRegistry(registry: Registry) {
  const registers = [registry];
  return {
    counter: <Label extends string = never>(name: string, help: string, labelNames: readonly Label[] = []) =>
      new Counter<Label>({ name, help, labelNames, registers }),
    gauge: <Label extends string = never>(name: string, help: string, labelNames: readonly Label[] = []) =>
      new Gauge<Label>({ name, help, labelNames, registers }),
    histogram: <Label extends string = never>(
      name: string,
      help: string,
      buckets: readonly number[],
      labelNames: readonly Label[] = [],
    ) => new Histogram<Label>({ name, help, labelNames, buckets: [...buckets], registers }),
  };
}

/**
 * The USE and business metrics beyond the gateway's: HTTP latency, database connections, Redis
 * commands, queues, budgets, swarms and knowledge ingestion. Every label is a bounded set (route
 * templates, configured budgets, fixed outcomes), never a request, user or key.
 */
export function createOperationsMetrics(registry: Registry) {
  const { counter, gauge, histogram } = onRegistry(registry);
  return {
    httpRequestDuration: histogram(
      'kimi_http_request_duration_seconds',
      'HTTP request latency by route template, method and status, from arrival to the response sent.',
      httpBuckets,
      ['route', 'method', 'status'],
    ),
    dependencyUp: gauge(
      'kimi_dependency_up',
      'Whether a dependency answered a ping at the last scrape (1) or not (0), by dependency (database, key_value_store).',
      ['dependency'],
    ),
    databaseConnections: gauge(
      'kimi_database_connections',
      'Database connections by state: total and idle connections open, callers waiting for one (PGlite: one connection, statements queued behind it).',
      ['state'],
    ),
    databaseConnectionsMax: gauge(
      'kimi_database_connections_max',
      'The most database connections this process opens.',
    ),
    redisCommandDuration: histogram(
      'kimi_redis_command_duration_seconds',
      'Key-value store commands on Redis (cache, counters, limits, locks) by operation, including failures.',
      commandBuckets,
      ['operation'],
    ),
    queueJobs: gauge(
      'kimi_queue_jobs',
      'Jobs per queue and state (waiting, active, delayed, failed) at the last scrape.',
      ['queue', 'state'],
    ),
    queueOldestJobAge: gauge(
      'kimi_queue_oldest_waiting_job_age_seconds',
      'Age of the oldest job waiting in each queue (0 when none waits).',
      ['queue'],
    ),
    budgetUtilization: createBudgetUtilizationMetrics(registry),
    swarmRuns: counter(
      'kimi_swarm_runs_total',
      'Swarm runs ended, by final status (completed, failed, timed_out, cancelled).',
      ['status'],
    ),
    swarmRunDuration: histogram(
      'kimi_swarm_run_duration_seconds',
      'Swarm run duration from creation to its end, by final status.',
      latencyBuckets,
      ['status'],
    ),
    swarmSteps: counter(
      'kimi_swarm_steps_total',
      'Swarm steps ended, by kind (model call, tool call, …) and outcome (completed, failed).',
      ['kind', 'outcome'],
    ),
    swarmStepDuration: histogram(
      'kimi_swarm_step_duration_seconds',
      'Swarm step duration from its start to its result, by kind.',
      latencyBuckets,
      ['kind'],
    ),
    knowledgeDocuments: counter(
      'kimi_knowledge_documents_total',
      'Knowledge-base documents whose ingestion ended, by outcome (ready, failed).',
      ['outcome'],
    ),
    knowledgeChunks: counter('kimi_knowledge_chunks_total', 'Chunks stored by knowledge-base ingestion.'),
    knowledgeIngestionDuration: histogram(
      'kimi_knowledge_ingestion_duration_seconds',
      'Duration of one document ingestion job, by outcome.',
      latencyBuckets,
      ['outcome'],
    ),
  };
}

export type OperationsMetrics = ReturnType<typeof createOperationsMetrics>;
