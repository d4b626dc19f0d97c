import { join } from 'node:path';
import type { Provider } from '../model/index.ts';
import { createProviders } from '../providers/index.ts';
import { type Database, openDatabase } from '../storage/db/index.ts';
import { createKeyValueStore, type KeyValueStore } from '../storage/kv/index.ts';
import { createEventBus, type EventBus } from '../storage/pubsub/index.ts';
import { createJobQueue, type JobQueue } from '../storage/queue/index.ts';
import {
  createSecretBox,
  loadTokenizer,
  type SecretBox,
  systemClock,
  type Tokenizer,
} from '../support/index.ts';
import {
  createLogger,
  createTracing,
  type Logger,
  type Tracing,
  tracingSettings,
} from '../telemetry/index.ts';
import { loadMasterKey } from './master-key.ts';
import type { Settings } from './settings.ts';

export { loadSettings, type Settings } from './settings.ts';

export function openStore(settings: Settings): Promise<Database> {
  return openDatabase({
    ...(settings.environment.DATABASE_URL ? { databaseUrl: settings.environment.DATABASE_URL } : {}),
    dataDirectory: join(settings.dataDirectory, 'data'),
    // why: the semantic cache searches with pgvector; PGlite ships it (PostgreSQL needs it installed).
    extensions: 'vector',
  });
}

export interface Runtime {
  settings: Settings;
  logger: Logger;
  /** Spans, export and trace context of this process, made from the OTEL_* variables. */
  tracing: Tracing;
  database: Database;
  keyValueStore: KeyValueStore;
  eventBus: EventBus;
  jobQueue: JobQueue;
  providers: Provider[];
  tokenizer: Tokenizer;
  /** The master key's bytes (sessions derive their keys from it); null when none is configured. */
  masterKey: Uint8Array | null;
  secretBox: SecretBox | null;
  close(): Promise<void>;
}

/** Opens every port the settings call for: embedded defaults, or PostgreSQL and Redis by env. */
export async function openRuntime(
  settings: Settings,
  database?: Database,
  processKind: 'api' | 'worker' = 'api',
): Promise<Runtime> {
  const tracing = createTracing(
    tracingSettings(settings.environment, processKind === 'api' ? 'kimi-platform' : 'kimi-platform-worker'),
  );
  const logger = createLogger({ level: settings.environment.LOG_LEVEL, mixin: tracing.logFields });
  const redisUrl = settings.environment.REDIS_URL;
  const store = database ?? (await openStore(settings));
  // why 5 s: budgets and rate limits wait on this store; a loaded process may read a prompt reply
  // late, and a command that timed out leaves its reservation held (refused, never overspent).
  // A Redis that is down still fails at once: commands are not queued while disconnected.
  const keyValueStore = createKeyValueStore({
    ...(redisUrl ? { redisUrl } : {}),
    keyPrefix: 'kimi:',
    timeoutMs: 5000,
  });
  const eventBus = createEventBus({ ...(redisUrl ? { redisUrl } : {}), channelPrefix: 'kimi:' });
  const jobQueue = createJobQueue({ ...(redisUrl ? { redisUrl } : {}), prefix: 'kimi' });
  const tokenizer = await loadTokenizer();
  const providers = createProviders(settings.config, {
    clock: systemClock,
    tokenizer,
    environment: process.env,
  });
  const masterKey = await loadMasterKey(settings);
  const secretBox = masterKey ? createSecretBox(masterKey) : null;
  if (!masterKey)
    logger.warn(
      'KIMI_MASTER_KEY is not set: organisations cannot store their own provider keys or sign in with SSO',
    );
  return {
    masterKey,
    secretBox,
    settings,
    logger,
    tracing,
    database: store,
    keyValueStore,
    eventBus,
    jobQueue,
    providers,
    tokenizer,
    async close() {
      await jobQueue.close();
      await eventBus.close();
      await keyValueStore.close();
      await store.close();
      await tracing.close();
    },
  };
}

/** One line naming each backend, for the start-up banner and logs. */
export function describeBackends(settings: Settings): string {
  const store = settings.environment.DATABASE_URL
    ? `postgres ${new URL(settings.environment.DATABASE_URL).host}`
    : `pglite ${join(settings.dataDirectory, 'data')}`;
  const redis = settings.environment.REDIS_URL
    ? `redis ${new URL(settings.environment.REDIS_URL).host}`
    : 'in-process';
  return `store: ${store}; cache, counters, queue, events: ${redis}`;
}
