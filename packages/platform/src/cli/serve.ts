import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { watchConfigFile } from '../config/index.ts';
import { buildApp } from '../http/index.ts';
import { createPlatform, type Platform } from '../platform/index.ts';
import { createProviders } from '../providers/index.ts';
import { systemClock } from '../support/index.ts';
import { describeListenAddress } from './listen-address.ts';
import { prepareStore } from './prepare-store.ts';
import {
  describeBackends,
  loadSettings,
  openRuntime,
  openStore,
  type Runtime,
  type Settings,
} from './runtime.ts';

export interface ServeOptions {
  workers?: number;
  port?: number;
}

/** Hot reload: a valid edit of the config file applies at once; an invalid one is logged and ignored. */
function watchConfig(settings: Settings, runtime: Runtime, platform: Platform) {
  const path = settings.configPath ?? settings.environment.KIMI_CONFIG ?? 'kimi.config.yaml';
  return watchConfigFile({
    path,
    onChange: async (config) => {
      try {
        const providers = createProviders(config, {
          clock: systemClock,
          tokenizer: runtime.tokenizer,
          environment: process.env,
        });
        platform.reload(config, providers);
      } catch (error) {
        runtime.logger.error(
          `Invalid config file ${path}: ${(error as Error).message}; keeping the running config.`,
        );
      }
    },
    onInvalid: (message) => runtime.logger.error(message),
  });
}

/** Runs one platform process: build the app on the runtime's ports and listen until a signal. */
async function runInstance(settings: Settings, options: { prepare: boolean; port: number }): Promise<void> {
  const started = performance.now();
  const runtime = await openRuntime(settings);
  if (options.prepare) await prepareStore(runtime.database, settings);
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
    tracing: runtime.tracing,
    processMetrics: true,
    // why one switch: a server that leaves swarm runs to workers leaves batch lines to them too.
    batches: { runWorker: settings.environment.KIMI_SWARM_WORKER === '1' },
    knowledge: {
      runWorker: settings.environment.KIMI_SWARM_WORKER === '1',
      ingestion: { leaseMs: settings.environment.KIMI_SWARM_LEASE_MS },
    },
    swarms: {
      runWorker: settings.environment.KIMI_SWARM_WORKER === '1',
      options: { leaseMs: settings.environment.KIMI_SWARM_LEASE_MS },
    },
  });
  const app = await buildApp(platform, {
    requestLogSampleRate: settings.environment.KIMI_REQUEST_LOG_SAMPLE_RATE,
  });
  const watcher = watchConfig(settings, runtime, platform);
  const host = settings.environment.HOST;
  await app.listen({ port: options.port, host });
  const bound = app.server.address() as AddressInfo;
  const port = bound.port;
  const readyMs = Math.round(performance.now() - started);
  if (cluster.isPrimary) {
    console.log(
      `Kimi Platform listening on ${describeListenAddress(host, bound.address, port)} (ready in ${readyMs} ms; ${describeBackends(settings)}; ` +
        `models: ${runtime.providers.map((provider) => provider.name).join(', ')}; ` +
        `config: ${settings.configPath ?? 'defaults'})`,
    );
  }
  runtime.logger.info({ host: bound.address, port, readyMs, pid: process.pid }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      runtime.logger.error('shutdown grace period elapsed; exiting');
      process.exit(1);
    }, settings.config.server.shutdown_grace_ms);
    force.unref();
    try {
      watcher.close();
      await app.close();
      await platform.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      runtime.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * `serve`: one process on the embedded store, or with `--workers N` a primary that migrates and
 * bootstraps once and then forks N processes sharing the port (PostgreSQL only).
 */
export async function serve(options: ServeOptions): Promise<void> {
  const settings = await loadSettings();
  const port = options.port ?? settings.environment.PORT;
  const workers = options.workers ?? settings.environment.KIMI_WORKERS ?? 1;

  if (cluster.isWorker) {
    await runInstance(settings, { prepare: false, port });
    return;
  }
  if (workers <= 1) {
    await runInstance(settings, { prepare: true, port });
    return;
  }
  if (!settings.environment.DATABASE_URL) {
    throw new Error(
      `--workers ${workers} needs PostgreSQL: the embedded PGlite store is single-process. ` +
        'Set DATABASE_URL=postgres://… to run several workers, or drop --workers.',
    );
  }
  const database = await openStore(settings);
  await prepareStore(database, settings);
  await database.close();

  let stopping = false;
  const fork = () => cluster.fork();
  for (let index = 0; index < workers; index++) fork();
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening++;
    if (listening === workers) {
      // With port 0 the primary picks one port for all workers; the event carries the real one.
      console.log(
        `Kimi Platform listening on ${describeListenAddress(settings.environment.HOST, address.address, address.port)} with ${workers} workers (${describeBackends(settings)})`,
      );
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement`);
    fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const force = setTimeout(() => process.exit(1), settings.config.server.shutdown_grace_ms + 1000);
    force.unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
