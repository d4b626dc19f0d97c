import { createPlatform } from '../platform/index.ts';
import { systemClock } from '../support/index.ts';
import { describeBackends, loadSettings, openRuntime } from './runtime.ts';
import { listenForMetrics } from './worker-metrics.ts';

/**
 * `worker`: executes swarm runs and batch lines from the queue without serving HTTP. With REDIS_URL and
 * DATABASE_URL any number of workers share the runs; a run whose worker dies is resumed by
 * another from its last completed step once the lease lapses.
 */
export async function worker(): Promise<void> {
  const settings = await loadSettings();
  if (!settings.environment.REDIS_URL || !settings.environment.DATABASE_URL) {
    throw new Error(
      'worker needs REDIS_URL (the queue) and DATABASE_URL (the store) shared with the API servers; ' +
        'without them `kimi-platform serve` executes swarm runs itself.',
    );
  }
  const runtime = await openRuntime(settings, undefined, 'worker');
  const platform = await createPlatform({
    config: settings.config,
    database: runtime.database,
    keyValueStore: runtime.keyValueStore,
    eventBus: runtime.eventBus,
    jobQueue: runtime.jobQueue,
    providers: runtime.providers,
    tokenizer: runtime.tokenizer,
    secretBox: runtime.secretBox,
    masterKey: runtime.masterKey,
    clock: systemClock,
    logger: runtime.logger,
    processMetrics: true,
    tracing: runtime.tracing,
    batches: { runWorker: true },
    // why the swarm lease: one setting for how soon another worker takes the work of a dead one.
    knowledge: { runWorker: true, ingestion: { leaseMs: settings.environment.KIMI_SWARM_LEASE_MS } },
    swarms: { runWorker: true, options: { leaseMs: settings.environment.KIMI_SWARM_LEASE_MS } },
  });
  const metricsPort = settings.environment.KIMI_WORKER_METRICS_PORT;
  const metrics =
    metricsPort === undefined
      ? null
      : await listenForMetrics(platform, settings.environment.HOST, metricsPort);
  const metricsNote = metrics ? `; metrics on http://${metrics.address}/metrics` : '';
  console.log(`Kimi Platform worker ready (pid ${process.pid}; ${describeBackends(settings)}${metricsNote})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, 'worker stopping: giving runs in progress back to the queue');
    const force = setTimeout(() => process.exit(1), settings.config.server.shutdown_grace_ms);
    force.unref();
    try {
      await metrics?.close();
      await platform.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      runtime.logger.error({ err: error }, 'worker shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
