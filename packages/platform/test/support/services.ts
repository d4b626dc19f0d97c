import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import pg from 'pg';

/**
 * Real PostgreSQL and Redis for integration suites. Where a server is unreachable the suite is
 * skipped with a loud notice, unless KIMI_REQUIRE_SERVICES=1, where that is a failure.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const servicesRequired = process.env.KIMI_REQUIRE_SERVICES === '1';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(Number(parsed.port || defaultPort), parsed.hostname, () => finish(true));
  });
}

async function probe(name: string, url: string, defaultPort: number): Promise<boolean> {
  const available = await reachable(url, defaultPort);
  if (available) return true;
  const message = `${name} is unreachable at ${url}`;
  if (servicesRequired) {
    throw new Error(`${message}, and KIMI_REQUIRE_SERVICES=1 makes that a failure.`);
  }
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING ${name} SUITES: ${message}.\n!! Start it, or set TEST_${name.toUpperCase()}_URL.\n${'!'.repeat(78)}\n`,
  );
  return false;
}

/** Debian's Chromium, which browser tests drive through playwright-core (CI installs the package). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * True when every program is installed; throws when one is not and services are required, and
 * otherwise skips loudly, naming the `suites` and how to install what is missing.
 */
function programsInstalled(suites: string, paths: readonly string[], install: string): boolean {
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length === 0) return true;
  const message = `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed`;
  if (servicesRequired) throw new Error(`${message}, and KIMI_REQUIRE_SERVICES=1 makes that a failure.`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING ${suites} SUITES: ${message}.\n!! ${install}\n${'!'.repeat(78)}\n`,
  );
  return false;
}

/** True when Chromium is installed; throws when it is not and services are required. */
export function chromiumAvailable(): boolean {
  return programsInstalled(
    'BROWSER',
    [chromiumPath],
    'Install it (apt-get install chromium), or set CHROMIUM_PATH.',
  );
}

/** Debian's Prometheus and Alertmanager programs (packages `prometheus`, `prometheus-alertmanager`). */
export const prometheusPrograms = {
  prometheus: process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus',
  promtool: process.env.PROMTOOL_PATH ?? '/usr/bin/promtool',
  amtool: process.env.AMTOOL_PATH ?? '/usr/bin/amtool',
} as const;

/** True when prometheus, promtool and amtool are installed; throws when not and services are required. */
export function prometheusAvailable(): boolean {
  return programsInstalled(
    'PROMETHEUS',
    Object.values(prometheusPrograms),
    'Install them (apt-get install prometheus prometheus-alertmanager), or set PROMETHEUS_PATH, PROMTOOL_PATH and AMTOOL_PATH.',
  );
}

/** kubectl with its built-in kustomize (the machine image ships it; `kubectl kustomize` needs no cluster). */
export const kubectlPath = process.env.KUBECTL_PATH ?? '/usr/bin/kubectl';

/** True when kubectl is installed; throws when it is not and services are required. */
export function kubectlAvailable(): boolean {
  return programsInstalled('KUBERNETES MANIFEST', [kubectlPath], 'Install kubectl, or set KUBECTL_PATH.');
}

/** True when PostgreSQL answers; throws when it does not and services are required. */
export function postgresAvailable(): Promise<boolean> {
  return probe('Postgres', testDatabaseUrl, 5432);
}

/** True when Redis answers; throws when it does not and services are required. */
export function redisAvailable(): Promise<boolean> {
  return probe('Redis', testRedisUrl, 6379);
}

/** Qdrant's REST address for the Qdrant suites, and its key when the server wants one. */
export const testQdrantUrl = process.env.TEST_QDRANT_URL ?? 'http://127.0.0.1:6333';
export const testQdrantApiKey = process.env.TEST_QDRANT_API_KEY || undefined;

/**
 * True when a Qdrant server answers at TEST_QDRANT_URL. Optional only: KIMI_REQUIRE_SERVICES=1
 * does not make its absence a failure, because no Qdrant server can be installed on the
 * machines this project's CI runs on (neither Debian nor npm ships one, and a binary cannot be
 * downloaded there); the suites are skipped loudly instead.
 */
export async function qdrantAvailable(): Promise<boolean> {
  try {
    const response = await fetch(testQdrantUrl, {
      headers: testQdrantApiKey ? { 'api-key': testQdrantApiKey } : {},
      signal: AbortSignal.timeout(1500),
    });
    await response.body?.cancel();
    if (response.ok) return true;
  } catch {
    // unreachable: reported below
  }
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING Qdrant SUITES: no Qdrant server answers at ${testQdrantUrl}.\n` +
      `!! Start one (e.g. docker run -p 6333:6333 qdrant/qdrant), or set TEST_QDRANT_URL (and TEST_QDRANT_API_KEY).\n` +
      `!! KIMI_REQUIRE_SERVICES=1 does not require Qdrant: none can be installed on this project's machines.\n${'!'.repeat(78)}\n`,
  );
  return false;
}

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh, empty PostgreSQL database so suites running in parallel never share state. */
export async function createTemporaryDatabase(): Promise<TemporaryDatabase> {
  const name = `kimi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A key prefix unique to one suite, so Redis-backed suites never see each other's keys. */
export function uniqueRedisPrefix(label: string): string {
  return `kimi-test:${label}:${randomBytes(4).toString('hex')}:`;
}
