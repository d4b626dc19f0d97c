import { type SwarmObserver, swarmQueueName } from '../agents/index.ts';
import { alertDeliveryQueue } from '../metering/budgets/index.ts';
import type { UsageLedger } from '../metering/index.ts';
import type { Database } from '../storage/db/index.ts';
import { type KeyValueStore, timedKeyValueStore } from '../storage/kv/index.ts';
import type { JobQueue } from '../storage/queue/index.ts';
import type { Clock } from '../support/index.ts';
import type { Metrics } from '../telemetry/index.ts';
import { batchLineQueue } from './batches/index.ts';
import { ingestionQueue } from './knowledge/index.ts';
import { backgroundResponseQueue } from './responses/index.ts';

/** Every queue the platform uses: a fixed set, so the queue label stays bounded. */
const platformQueues = [
  swarmQueueName,
  ingestionQueue,
  batchLineQueue,
  backgroundResponseQueue,
  alertDeliveryQueue,
] as const;

/** How long a dependency may take to answer the scrape's ping before it counts as down. */
const pingTimeoutMs = 2000;

/** The key-value store, timed into the Redis latency histogram when it is Redis (in-process calls are not I/O). */
export function observedKeyValueStore(store: KeyValueStore, metrics: Metrics): KeyValueStore {
  if (!store.shared) return store;
  return timedKeyValueStore(store, (operation, seconds) =>
    metrics.redisCommandDuration.observe({ operation }, seconds),
  );
}

/** Swarm run and step endings into their counters and histograms. */
export function swarmMetricsObserver(metrics: Metrics): SwarmObserver {
  return {
    runEnded(status, seconds) {
      metrics.swarmRuns.inc({ status });
      metrics.swarmRunDuration.observe({ status }, seconds);
    },
    stepEnded(kind, outcome, seconds) {
      metrics.swarmSteps.inc({ kind, outcome });
      metrics.swarmStepDuration.observe({ kind }, seconds);
    },
  };
}

/** Knowledge ingestion endings into their counters and histogram. */
export function ingestionMetricsObserver(metrics: Metrics) {
  return (outcome: 'ready' | 'failed', chunks: number, seconds: number) => {
    metrics.knowledgeDocuments.inc({ outcome });
    if (chunks > 0) metrics.knowledgeChunks.inc(chunks);
    metrics.knowledgeIngestionDuration.observe({ outcome }, seconds);
  };
}

async function answers(ping: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), pingTimeoutMs);
  });
  try {
    return await Promise.race([ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** What the scrape-time gauges are read from. */
export interface ScrapeSources {
  database: Database;
  keyValueStore: KeyValueStore;
  jobQueue: JobQueue;
  ledger: UsageLedger;
  clock: Clock;
  metrics: Metrics;
}

/**
 * Sets the gauges read at scrape time: dependency pings, database connections, queue depths and
 * the age of their oldest waiting job, the metering queue. A queue that cannot be read (Redis
 * down) keeps its last values; `kimi_dependency_up` says why.
 */
export async function collectScrapeMetrics(sources: ScrapeSources): Promise<void> {
  const { metrics } = sources;
  const [databaseUp, keyValueUp] = await Promise.all([
    answers(() => sources.database.ping()),
    answers(() => sources.keyValueStore.ping()),
  ]);
  metrics.dependencyUp.set({ dependency: 'database' }, databaseUp ? 1 : 0);
  metrics.dependencyUp.set({ dependency: 'key_value_store' }, keyValueUp ? 1 : 0);
  const connections = sources.database.connections();
  metrics.databaseConnections.set({ state: 'total' }, connections.total);
  metrics.databaseConnections.set({ state: 'idle' }, connections.idle);
  metrics.databaseConnections.set({ state: 'waiting' }, connections.waiting);
  metrics.databaseConnectionsMax.set(connections.maximum);
  metrics.meteringQueueDepth.set(sources.ledger.depth());
  metrics.meteringWaiting.set(sources.ledger.waiting());
  const now = sources.clock.now();
  await Promise.all(
    platformQueues.map(async (queue) => {
      try {
        const [counts, oldest] = await Promise.all([
          sources.jobQueue.counts(queue),
          sources.jobQueue.oldestWaitingSince(queue),
        ]);
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
          metrics.queueJobs.set({ queue, state }, counts[state]);
        }
        metrics.queueOldestJobAge.set({ queue }, oldest === null ? 0 : Math.max(0, (now - oldest) / 1000));
      } catch {
        // Kept at the last values; the key-value store's gauge reports the outage.
      }
    }),
  );
}
