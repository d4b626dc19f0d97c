/**
 * The Kimi Platform as a benchmark target: its configuration (the one place that decides which
 * parts of the hot path are on), its start-up on a throw-away store, and the API key the load uses.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  baseEnvironment,
  type StartedProcess,
  startNode,
  stopProcess,
  waitForOutput,
} from '../support/child-processes.ts';
import { onCleanup } from '../support/cleanup.ts';
import { assertListensOnLoopbackOnly } from '../support/loopback-check.ts';
import {
  type MeteringCounters,
  type RunningTarget,
  slowUpstreamModel,
  type TargetKey,
  upstreamModel,
} from './target.ts';

const buildPath = fileURLToPath(new URL('../../packages/platform/build.mjs', import.meta.url));
const mainPath = fileURLToPath(new URL('../../packages/platform/dist/main.js', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const runFile = promisify(execFile);
const adminKey = `sk-kimi-bench-${'a'.repeat(40)}`;

/** The provider name the upstream has in the platform; models are `upstream/<id>`. */
export const upstreamProviderName = 'upstream';

/**
 * Organisation rate limits for the load's organisation: far above anything the run sends, so they
 * are checked on every request (once enforcement exists) but never refuse one.
 */
export const benchmarkRateLimits = {
  requests_per_minute: 100_000_000,
  tokens_per_minute: 1_000_000_000,
  concurrent_requests: 1_000_000,
} as const;

/** The organisation's budget: reserved and settled per request, never exhausted by a run. */
export const benchmarkBudget = { scope: 'organization', limit_usd: '1000000', period: 'month' } as const;

/**
 * Which parts of the request path run in the benchmark, as the results print them. Rate limits and
 * the budget are configured for the load's organisation (see `startPlatform`). The cache stays off:
 * this measures the path every uncached request takes.
 */
export const platformHotPath: ReadonlyArray<{ part: string; state: string }> = [
  {
    part: 'API key authentication',
    state: 'on (a member key of its own organisation; cached after first use)',
  },
  { part: 'request validation (zod) and OpenAI ↔ internal conversion', state: 'on' },
  {
    part: 'tenant rate limits (RPM/TPM/concurrency)',
    state:
      'on: the organisation has limits it never reaches ' +
      `(${benchmarkRateLimits.requests_per_minute.toLocaleString('en')} RPM, ` +
      `${benchmarkRateLimits.tokens_per_minute.toLocaleString('en')} TPM, ` +
      `${benchmarkRateLimits.concurrent_requests.toLocaleString('en')} concurrent), checked and charged on every request`,
  },
  {
    part: 'budget reservation',
    state:
      `on: the organisation has a ${benchmarkBudget.period}ly budget of ` +
      `$${Number(benchmarkBudget.limit_usd).toLocaleString('en')}, which the run never reaches; every request reserves and settles`,
  },
  { part: 'response cache', state: 'off (the default; this measures the path every uncached request takes)' },
  {
    part: 'routing',
    state:
      'on: explicit model → one deployment, upstream quota check, circuit breaker, retry budget, ' +
      'up to 2 attempts, first-token and total deadlines',
  },
  {
    part: 'usage metering',
    state:
      'on: one usage record per request, committed before the response ends; group commit cuts a batch at ' +
      'the end of each event-loop turn and writes it as one INSERT of a JSON parameter (at most 500 records)',
  },
  { part: 'Prometheus metrics', state: 'on, with Node process metrics' },
  { part: 'logging', state: 'LOG_LEVEL=warn (no per-request log lines)' },
];

/** The config file the platform runs with (JSON, which is YAML): the upstream as its only provider. */
export function platformConfiguration(upstreamOrigin: string): Record<string, unknown> {
  const model = (id: string) => ({ id, kind: 'chat', context_window: 128_000, max_output_tokens: 4096 });
  const price = { input_per_million: 2.5, output_per_million: 10, cached_input_per_million: 1.25 };
  return {
    providers: {
      sim: { enabled: false },
      openai_compatible: [
        {
          name: upstreamProviderName,
          base_url: `${upstreamOrigin}/v1`,
          models: [model(upstreamModel), model(slowUpstreamModel)],
        },
      ],
    },
    prices: {
      [`${upstreamProviderName}/${upstreamModel}`]: price,
      [`${upstreamProviderName}/${slowUpstreamModel}`]: price,
    },
    metering: { batch_max_records: 500, queue_max_records: 10_000 },
  };
}

interface CreatedOrganization {
  id: string;
}
interface CreatedKey {
  secret: string;
}

function adminPost<Answer>(origin: string, path: string, body: unknown): Promise<Answer> {
  return adminSend<Answer>('POST', origin, path, body);
}

async function adminSend<Answer>(
  method: 'POST' | 'PUT',
  origin: string,
  path: string,
  body: unknown,
): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Answer;
}

function metricValue(metrics: string, name: string): number {
  const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics);
  return match?.[1] ? Number(match[1]) : 0;
}

/** The group-commit counters from the platform's Prometheus metrics. */
async function readMeteringCounters(origin: string): Promise<MeteringCounters> {
  const response = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const metrics = await response.text();
  return {
    batches: metricValue(metrics, 'kimi_metering_batch_records_count'),
    records: metricValue(metrics, 'kimi_metering_batch_records_sum'),
    writeSeconds: metricValue(metrics, 'kimi_metering_write_duration_seconds_sum'),
  };
}

/** Options of one platform run. */
export interface PlatformOptions {
  key?: TargetKey;
  name?: string;
  /** PostgreSQL instead of the embedded PGlite store. */
  databaseUrl?: string;
  /** Redis for limits, budgets and the cache (with databaseUrl). */
  redisUrl?: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Extra environment, e.g. the OTEL_* variables of a tracing comparison. */
  environment?: Record<string, string>;
}

let built: Promise<unknown> | undefined;

/** Compiles the platform as `npm start` does, once per benchmark process, so it runs what users run. */
export function buildPlatform(): Promise<unknown> {
  built ??= runFile(process.execPath, [buildPath, '--quiet'], { cwd: repositoryRoot, timeout: 120_000 });
  return built;
}

/**
 * Compiles the platform (as `npm start` does) and starts
 * `node --enable-source-maps packages/platform/dist/main.js serve` on 127.0.0.1 with a temporary
 * data directory (removed on stop), creates an organisation and a member key for the load, and
 * returns the target with that key.
 */
export async function startPlatform(
  upstreamOrigin: string,
  options: PlatformOptions = {},
): Promise<RunningTarget> {
  const directory = await mkdtemp(join(tmpdir(), 'kimi-bench-platform-'));
  const forgetDirectory = onCleanup({ now: () => rmSync(directory, { recursive: true, force: true }) });
  let started: StartedProcess | undefined;
  try {
    await buildPlatform();
    const configPath = join(directory, 'kimi.config.yaml');
    await writeFile(configPath, JSON.stringify(platformConfiguration(upstreamOrigin), null, 2));
    started = startNode(
      'platform',
      [...(options.nodeFlags ?? []), '--enable-source-maps', mainPath, 'serve'],
      {
        ...baseEnvironment(),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        KIMI_DATA_DIR: directory,
        KIMI_CONFIG: configPath,
        KIMI_ADMIN_KEY: adminKey,
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        ...options.environment,
      },
      { cwd: repositoryRoot },
    );
    const match = await waitForOutput(started, /listening on http:\/\/127\.0\.0\.1:(\d+)/, 60_000);
    const port = Number(match[1]);
    assertListensOnLoopbackOnly('platform', port);
    const origin = `http://127.0.0.1:${port}`;
    // why no plan: the benchmark sets its own rate limits and budget; a plan's quota would cap the run.
    const organization = await adminPost<CreatedOrganization>(origin, '/v1/admin/organizations', {
      name: 'benchmark',
      plan: null,
    });
    const key = await adminPost<CreatedKey>(origin, `/v1/admin/organizations/${organization.id}/keys`, {
      name: 'load generator',
      role: 'member',
    });
    await adminSend(
      'PUT',
      origin,
      `/v1/admin/organizations/${organization.id}/rate-limits`,
      benchmarkRateLimits,
    );
    await adminSend('POST', origin, `/v1/admin/organizations/${organization.id}/budgets`, benchmarkBudget);
    const process = started;
    return {
      key: options.key ?? 'platform',
      name: options.name ?? 'Kimi Platform (full hot path)',
      endpoint: {
        url: `${origin}/v1/chat/completions`,
        headers: { authorization: `Bearer ${key.secret}` },
        model: `${upstreamProviderName}/${upstreamModel}`,
      },
      process,
      readCounters: () => readMeteringCounters(origin),
      stop: async () => {
        // A graceful stop: the platform flushes metering, and --cpu-prof writes its profile.
        await stopProcess(process, 15_000);
        await rm(directory, { recursive: true, force: true });
        forgetDirectory();
      },
    };
  } catch (error) {
    if (started) await stopProcess(started, 5000);
    await rm(directory, { recursive: true, force: true });
    forgetDirectory();
    throw error;
  }
}
