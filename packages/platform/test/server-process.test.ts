import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { canConnect, listeningAddresses, nonLoopbackLocalAddress } from './support/listening-sockets.ts';
import { startServerProcess } from './support/server-process.ts';
import { createTemporaryDatabase, postgresAvailable } from './support/services.ts';

/** The real `kimi-platform serve` process: first start, restart, config errors, and --workers. */
const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const postgres = await postgresAvailable();
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function temporaryDirectory(label: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), `kimi-${label}-`));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function runCli(args: string[], environment: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', mainPath, ...args], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...environment },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('serve on the embedded store', () => {
  it('bootstraps once, writes the admin key with mode 0600, and keeps it across restarts', async () => {
    const directory = await temporaryDirectory('first-start');
    const first = await startServerProcess({ KIMI_DATA_DIR: directory });
    cleanups.push(() => first.stop());
    const keyFile = join(directory, 'admin-key');
    const secret = (await readFile(keyFile, 'utf8')).trim();
    expect(first.output()).toContain(secret);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const client = new OpenAI({ apiKey: secret, baseURL: `${first.baseUrl}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    const clash = runCli(['serve'], { KIMI_DATA_DIR: directory });
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/in use by process \d+/);
    await first.stop('SIGTERM');
    expect(first.child.exitCode).toBe(0);

    const second = await startServerProcess({ KIMI_DATA_DIR: directory });
    cleanups.push(() => second.stop());
    expect(second.output()).not.toContain('Created organization');
    const again = new OpenAI({ apiKey: secret, baseURL: `${second.baseUrl}/v1`, maxRetries: 0 });
    expect((await again.models.list()).data.length).toBeGreaterThan(0);
    await second.stop('SIGTERM');
  }, 90_000);

  it('refuses --workers on PGlite with a clear message', async () => {
    const directory = await temporaryDirectory('workers-pglite');
    const result = runCli(['serve', '--workers', '2'], { KIMI_DATA_DIR: directory });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--workers 2 needs PostgreSQL/);
    expect(result.stderr).toMatch(/DATABASE_URL/);
  });

  it('rejects a bad config file at start, naming the field', async () => {
    const directory = await temporaryDirectory('bad-config');
    const configPath = join(directory, 'kimi.config.yaml');
    await writeFile(configPath, 'providers:\n  sim:\n    models:\n      fast:\n        latency_ms: soon\n');
    const result = runCli(['serve'], { KIMI_DATA_DIR: directory, KIMI_CONFIG: configPath });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('providers.sim.models.fast.latency_ms');

    await writeFile(configPath, 'aliases:\n  best: nowhere/model\n');
    const alias = runCli(['serve'], { KIMI_DATA_DIR: directory, KIMI_CONFIG: configPath });
    expect(alias.status).toBe(2);
    expect(alias.stderr).toContain('aliases.best');
  }, 60_000);

  it('rejects a bad environment variable, naming it', async () => {
    const result = runCli(['serve'], { PORT: 'eighty' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT');
    const url = runCli(['serve'], { DATABASE_URL: 'mysql://localhost/db' });
    expect(url.stderr).toContain('DATABASE_URL');
  });
});

describe('the interface serve binds', () => {
  it('listens on loopback only by default and says so; HOST=0.0.0.0 opens every interface and says that', async () => {
    const directory = await temporaryDirectory('bind');
    const outside = nonLoopbackLocalAddress();

    const local = await startServerProcess({ KIMI_DATA_DIR: directory }, { defaultHost: true });
    cleanups.push(() => local.stop());
    const localPort = Number(new URL(local.baseUrl).port);
    expect(local.output()).toContain(`Kimi Platform listening on http://127.0.0.1:${localPort} `);
    expect(local.output()).not.toContain('localhost');
    const localSockets = listeningAddresses(localPort);
    if (localSockets) expect(localSockets).toEqual(['127.0.0.1']);
    expect((await fetch(`${local.baseUrl}/healthz`)).status).toBe(200);
    if (outside) expect(await canConnect(outside, localPort), `reachable at ${outside}`).toBe(false);
    await local.stop('SIGTERM');

    const open = await startServerProcess({ KIMI_DATA_DIR: directory, HOST: '0.0.0.0' });
    cleanups.push(() => open.stop());
    const openPort = Number(new URL(open.baseUrl).port);
    expect(open.output()).toContain(`Kimi Platform listening on all interfaces (0.0.0.0:${openPort}) `);
    const openSockets = listeningAddresses(openPort);
    if (openSockets) expect(openSockets).toEqual(['0.0.0.0']);
    if (outside) expect(await canConnect(outside, openPort)).toBe(true);
    await open.stop('SIGTERM');
  }, 90_000);
});

describe('config hot reload', () => {
  it('applies a valid edit without a restart, and keeps the running config when an edit is invalid', async () => {
    const directory = await temporaryDirectory('hot-reload');
    const configPath = join(directory, 'kimi.config.yaml');
    await writeFile(configPath, 'aliases:\n  first-name: sim/fast\n');
    const adminKey = `sk-kimi-reload-${'r'.repeat(32)}`;
    const server = await startServerProcess({
      KIMI_DATA_DIR: directory,
      KIMI_CONFIG: configPath,
      KIMI_ADMIN_KEY: adminKey,
    });
    cleanups.push(() => server.stop());
    const client = new OpenAI({ apiKey: adminKey, baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
    const modelIds = async () => (await client.models.list()).data.map((model) => model.id);
    const eventually = async (check: () => Promise<boolean>) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        if (await check()) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    };
    expect(await modelIds()).toContain('first-name');

    await writeFile(configPath, 'aliases:\n  second-name: sim/smart\n');
    expect(await eventually(async () => (await modelIds()).includes('second-name'))).toBe(true);
    expect(await modelIds()).not.toContain('first-name');
    const completion = await client.chat.completions.create({
      model: 'second-name',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(completion.model).toBe('sim/smart');

    await writeFile(configPath, 'aliases:\n  broken: nowhere/model\n');
    expect(await eventually(async () => server.output().includes('keeping the running config'))).toBe(true);
    expect(server.output()).toContain('aliases.broken');
    expect(await modelIds()).toContain('second-name');
    await server.stop('SIGTERM');
  }, 60_000);
});

describe.runIf(postgres)('serve --workers on PostgreSQL', () => {
  it('runs several processes on one port that share the store', async () => {
    const database = await createTemporaryDatabase();
    cleanups.push(() => database.drop());
    const directory = await temporaryDirectory('workers-pg');
    const adminKey = `sk-kimi-workers-${'w'.repeat(32)}`;
    const server = await startServerProcess(
      { DATABASE_URL: database.url, KIMI_DATA_DIR: directory, KIMI_ADMIN_KEY: adminKey },
      { args: ['--workers', '2'], timeoutMs: 60_000 },
    );
    cleanups.push(() => server.stop());
    expect(server.output()).toContain('with 2 workers');
    const client = new OpenAI({ apiKey: adminKey, baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        client.chat.completions.create({
          model: 'sim/fast',
          messages: [{ role: 'user', content: `worker ${index}` }],
        }),
      ),
    );
    expect(answers.every((answer) => answer.choices[0]?.message.content)).toBe(true);
    const usage = await fetch(`${server.baseUrl}/v1/usage`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(((await usage.json()) as { totals: { requests: number } }).totals.requests).toBe(20);
    await server.stop('SIGTERM');
  }, 90_000);
});
