import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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

/**
 * The USE and business metrics beyond the gateway's: HTTP latency, database connections, Redis
 * commands, queues, budgets, swarms and knowledge ingestion. Every label is a bounded set (route
 * templates, configured budgets, fixed outcomes), never a request, user or key.
 */
export function createOperationsMetrics(registry: Registry) {
  const registers = [registry];
  return {
    httpRequestDuration: new Histogram({
      name: 'kimi_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status, from arrival to the response sent.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: httpBuckets,
      registers,
    }),
    dependencyUp: new Gauge({
      name: 'kimi_dependency_up',
      help: 'Whether a dependency answered a ping at the last scrape (1) or not (0), by dependency (database, key_value_store).',
      labelNames: ['dependency'] as const,
      registers,
    }),
    databaseConnections: new Gauge({
      name: 'kimi_database_connections',
      help: 'Database connections by state: total and idle connections open, callers waiting for one (PGlite: one connection, statements queued behind it).',
      labelNames: ['state'] as const,
      registers,
    }),
    databaseConnectionsMax: new Gauge({
      name: 'kimi_database_connections_max',
      help: 'The most database connections this process opens.',
      registers,
    }),
    redisCommandDuration: new Histogram({
      name: 'kimi_redis_command_duration_seconds',
      help: 'Key-value store commands on Redis (cache, counters, limits, locks) by operation, including failures.',
      labelNames: ['operation'] as const,
      buckets: commandBuckets,
      registers,
    }),
    queueJobs: new Gauge({
      name: 'kimi_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed) at the last scrape.',
      labelNames: ['queue', 'state'] as const,
      registers,
    }),
    queueOldestJobAge: new Gauge({
      name: 'kimi_queue_oldest_waiting_job_age_seconds',
      help: 'Age of the oldest job waiting in each queue (0 when none waits).',
      labelNames: ['queue'] as const,
      registers,
    }),
    budgetUtilization: new Gauge({
      name: 'kimi_budget_utilization_ratio',
      help: 'Spent over limit of each configured budget in its current period, as of its last settlement in this process.',
      labelNames: ['budget'] as const,
      registers,
    }),
    swarmRuns: new Counter({
      name: 'kimi_swarm_runs_total',
      help: 'Swarm runs ended, by final status (completed, failed, timed_out, cancelled).',
      labelNames: ['status'] as const,
      registers,
    }),
    swarmRunDuration: new Histogram({
      name: 'kimi_swarm_run_duration_seconds',
      help: 'Swarm run duration from creation to its end, by final status.',
      labelNames: ['status'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    swarmSteps: new Counter({
      name: 'kimi_swarm_steps_total',
      help: 'Swarm steps ended, by kind (model call, tool call, …) and outcome (completed, failed).',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    swarmStepDuration: new Histogram({
      name: 'kimi_swarm_step_duration_seconds',
      help: 'Swarm step duration from its start to its result, by kind.',
      labelNames: ['kind'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    knowledgeDocuments: new Counter({
      name: 'kimi_knowledge_documents_total',
      help: 'Knowledge-base documents whose ingestion ended, by outcome (ready, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    knowledgeChunks: new Counter({
      name: 'kimi_knowledge_chunks_total',
      help: 'Chunks stored by knowledge-base ingestion.',
      registers,
    }),
    knowledgeIngestionDuration: new Histogram({
      name: 'kimi_knowledge_ingestion_duration_seconds',
      help: 'Duration of one document ingestion job, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: latencyBuckets,
      registers,
    }),
  };
}

export type OperationsMetrics = ReturnType<typeof createOperationsMetrics>;
