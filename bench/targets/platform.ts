/**
 * The Kimi Platform as a benchmark target: its configuration (the one place that decides which
 * parts of the hot path are on), its start-up on a throw-away store, and the API key the load uses.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const mainPath = fileURLToPath(new URL('../../packages/platform/src/main.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const adminKey = `sk-kimi-bench-${'a'.repeat(40)}`;

/** The provider name the upstream has in the platform; models are `upstream/<id>`. */
export const upstreamProviderName = 'upstream';

/**
 * Which parts of the request path run in the benchmark, as the results print them. When rate
 * limits, budget reservation and the cache exist, switch them on in `platformConfiguration` and
 * say so here.
 */
export const platformHotPath: ReadonlyArray<{ part: string; state: string }> = [
  {
    part: 'API key authentication',
    state: 'on (a member key of its own organisation; cached after first use)',
  },
  { part: 'request validation (zod) and OpenAI ↔ internal conversion', state: 'on' },
  { part: 'tenant rate limits (RPM/TPM/concurrency)', state: 'not built yet (a later issue)' },
  { part: 'budget reservation', state: 'not built yet (a later issue)' },
  { part: 'response cache', state: 'off (not built yet)' },
  {
    part: 'routing',
    state:
      'on: explicit model → one deployment, upstream quota check, circuit breaker, retry budget, ' +
      'up to 2 attempts, first-token and total deadlines',
  },
  {
    part: 'usage metering',
    state:
      'on: one usage record per request, group commit (500 per INSERT), committed before the response ends',
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

async function adminPost<Answer>(origin: string, path: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
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
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/**
 * Starts `node --import tsx packages/platform/src/main.ts serve` on 127.0.0.1 with a temporary
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
    const configPath = join(directory, 'kimi.config.yaml');
    await writeFile(configPath, JSON.stringify(platformConfiguration(upstreamOrigin), null, 2));
    started = startNode(
      'platform',
      [...(options.nodeFlags ?? []), '--import', 'tsx', mainPath, 'serve'],
      {
        ...baseEnvironment(),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        KIMI_DATA_DIR: directory,
        KIMI_CONFIG: configPath,
        KIMI_ADMIN_KEY: adminKey,
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      },
      { cwd: repositoryRoot },
    );
    const match = await waitForOutput(started, /listening on http:\/\/localhost:(\d+)/, 60_000);
    const port = Number(match[1]);
    assertListensOnLoopbackOnly('platform', port);
    const origin = `http://127.0.0.1:${port}`;
    const organization = await adminPost<CreatedOrganization>(origin, '/v1/admin/organizations', {
      name: 'benchmark',
    });
    const key = await adminPost<CreatedKey>(origin, `/v1/admin/organizations/${organization.id}/keys`, {
      name: 'load generator',
      role: 'member',
    });
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
