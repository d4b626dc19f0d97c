import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HostResolver } from '../../src/agents/tools/index.ts';
import { type ConfigFile, configFileSchema } from '../../src/config/index.ts';
import { buildApp } from '../../src/http/index.ts';
import type { ProviderFetch } from '../../src/identity/sso/index.ts';
import type { Provider } from '../../src/model/index.ts';
import { createPlatform, type Platform, type PlatformPorts } from '../../src/platform/index.ts';
import { createProviders } from '../../src/providers/index.ts';
import { type Database, migrateDatabase, openDatabase } from '../../src/storage/db/index.ts';
import { createKeyValueStore, type KeyValueStore } from '../../src/storage/kv/index.ts';
import { createEventBus } from '../../src/storage/pubsub/index.ts';
import { createJobQueue, type JobQueue } from '../../src/storage/queue/index.ts';
import { type Clock, createSecretBox, loadTokenizer, systemClock } from '../../src/support/index.ts';
import { createLogger, type Tracing } from '../../src/telemetry/index.ts';
import { bootstrapTenancy } from '../../src/tenancy/index.ts';

export interface TestApp {
  app: FastifyInstance;
  /** The services the app serves, for tests that call them without HTTP. */
  platform: Platform;
  database: Database;
  /** The job queue the platform's workers (swarm runs, budget alert deliveries) consume. */
  jobQueue: JobQueue;
  /** http://127.0.0.1:<port> once `listen` was requested. */
  baseUrl: string;
  adminKey: string;
  organizationId: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** A PostgreSQL URL; default is an in-memory PGlite. */
  databaseUrl?: string;
  /** An already-open database to share (e.g. two apps on one store). */
  database?: Database;
  /** The config file's content as an object (validated like the YAML). */
  config?: Record<string, unknown>;
  listen?: boolean;
  clock?: Clock;
  logLevel?: string;
  /** Use Redis for kv, events and queue (keys under `redisPrefix`). */
  redisUrl?: string;
  redisPrefix?: string;
  /** Providers besides the configured ones (e.g. real adapters pointed at fixture servers). */
  extraProviders?: Provider[];
  /** The environment providers read their keys from; default empty (no real provider enabled). */
  environment?: Record<string, string | undefined>;
  /** False to run without a master key (provider keys cannot be stored, no one can sign in). */
  masterKey?: boolean;
  /** Agent swarm tools, templates and runtime options. */
  swarms?: PlatformPorts['swarms'];
  /** Background responses: whether this app runs them, and the runner's timings. */
  responses?: PlatformPorts['responses'];
  /** Whether this app's platform runs batch lines (default true). */
  batches?: PlatformPorts['batches'];
  /** Whether this app's platform ingests knowledge documents (default true), and the worker's tuning. */
  knowledge?: PlatformPorts['knowledge'];
  /** A kv store to use instead of the one `redisUrl` selects (the caller closes it). */
  keyValueStore?: KeyValueStore;
  /** DNS for the SSRF checks; default: every name is unknown, so no lookup leaves the machine. */
  resolveHost?: HostResolver;
  /** Lets webhooks point at http://127.0.0.1 (receivers in tests). */
  allowInsecureWebhooks?: boolean;
  /** The fetch for identity-provider calls (e.g. `recordingFetch()` to watch or alter answers). */
  identityProviderFetch?: ProviderFetch;
  /** Receives every log line the server writes (at `logLevel`), instead of stdout. */
  logSink?: { write(line: string): void };
  /** Process metrics (event loop, heap, GC) on /metrics, as `serve` has them; default off. */
  processMetrics?: boolean;
  /** The platform's tracing (log lines then carry its trace ids); default one that exports nothing. */
  tracing?: Tracing;
}

/** A resolver that knows no name: tests never send DNS queries off the machine. */
export const noHostResolver: HostResolver = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (tests resolve no names)`), {
    code: 'ENOTFOUND',
  });
};

/** Builds the real app on real parts: PGlite or PostgreSQL, in-process kv/events/queue, the simulated provider. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // why no default plan: suites exercise one feature at a time and set the plan they test; the
  // default plan itself is tested where it is the subject (test/organization-plans.test.ts).
  const config: ConfigFile = configFileSchema.parse({
    organizations: { default_plan: null },
    ...options.config,
  });
  const database =
    options.database ??
    (await openDatabase({
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      dataDirectory: 'memory://',
    }));
  await migrateDatabase(database);
  const bootstrap = await bootstrapTenancy(database, {
    organizationName: 'test',
    adminSecret: `sk-kimi-test-admin-${'x'.repeat(32)}`,
  });
  const clock = options.clock ?? systemClock;
  const redis = options.redisUrl ? { redisUrl: options.redisUrl } : {};
  const prefix = options.redisPrefix ?? 'kimi-test:';
  const keyValueStore = options.keyValueStore ?? createKeyValueStore({ ...redis, keyPrefix: prefix });
  const eventBus = createEventBus({ ...redis, channelPrefix: prefix });
  const jobQueue = createJobQueue({ ...redis, prefix: prefix.replace(/:$/, '') });
  const tokenizer = await loadTokenizer();
  const providers = [
    ...createProviders(config, {
      clock,
      tokenizer,
      environment: options.environment ?? {},
    }),
    ...(options.extraProviders ?? []),
  ];
  const masterKey = options.masterKey === false ? null : randomBytes(32);
  const platform = await createPlatform({
    config,
    database,
    keyValueStore,
    eventBus,
    jobQueue,
    providers,
    tokenizer,
    secretBox: masterKey ? createSecretBox(masterKey) : null,
    masterKey,
    clock,
    logger: createLogger({
      level: options.logLevel ?? 'silent',
      ...(options.logSink ? { destination: options.logSink } : {}),
      ...(options.tracing ? { mixin: options.tracing.logFields } : {}),
    }),
    ...(options.tracing ? { tracing: options.tracing } : {}),
    ...(options.identityProviderFetch ? { identityProviderFetch: options.identityProviderFetch } : {}),
    resolveHost: options.resolveHost ?? noHostResolver,
    ...(options.allowInsecureWebhooks ? { allowInsecureWebhooks: true } : {}),
    ...(options.swarms ? { swarms: options.swarms } : {}),
    ...(options.responses ? { responses: options.responses } : {}),
    ...(options.batches ? { batches: options.batches } : {}),
    ...(options.knowledge ? { knowledge: options.knowledge } : {}),
    ...(options.processMetrics ? { processMetrics: true } : {}),
  });
  // why: every response a test provokes is checked against its route's OpenAPI contract, so the
  // document cannot drift from what the routes answer (a mismatch is a 500 naming it).
  const app = await buildApp(platform, {
    onContractViolation: (violation) =>
      process.stderr.write(
        `OpenAPI contract violation: ${violation.method} ${violation.route} ${violation.status}: ${violation.detail}\n`,
      ),
  });
  let baseUrl = '';
  if (options.listen)
    baseUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  return {
    app,
    platform,
    database,
    jobQueue,
    baseUrl,
    adminKey: `sk-kimi-test-admin-${'x'.repeat(32)}`,
    organizationId: bootstrap.organizationId ?? '',
    async close() {
      await app.close();
      await platform.close();
      await jobQueue.close();
      await eventBus.close();
      if (!options.keyValueStore) await keyValueStore.close();
      if (!options.database) await database.close();
    },
  };
}

/** Creates an organisation and a key in it through the admin API; returns the key's secret. */
export async function createTenant(
  testApp: TestApp,
  options: { name?: string; role?: string; allowedModels?: string[]; expiresAt?: string } = {},
): Promise<{ organizationId: string; keyId: string; secret: string }> {
  const organization = await testApp.app.inject({
    method: 'POST',
    url: '/v1/admin/organizations',
    headers: { authorization: `Bearer ${testApp.adminKey}` },
    payload: { name: options.name ?? 'tenant' },
  });
  if (organization.statusCode !== 201) throw new Error(`create organization: ${organization.body}`);
  const organizationId = organization.json<{ id: string }>().id;
  const key = await testApp.app.inject({
    method: 'POST',
    url: `/v1/admin/organizations/${organizationId}/keys`,
    headers: { authorization: `Bearer ${testApp.adminKey}` },
    payload: {
      name: 'test key',
      role: options.role ?? 'member',
      ...(options.allowedModels ? { allowed_models: options.allowedModels } : {}),
      ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
    },
  });
  if (key.statusCode !== 201) throw new Error(`create key: ${key.body}`);
  const body = key.json<{ id: string; secret: string }>();
  return { organizationId, keyId: body.id, secret: body.secret };
}
