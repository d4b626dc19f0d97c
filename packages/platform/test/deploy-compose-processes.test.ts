import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ComposeService,
  composeServices,
  interpolate,
  repositoryText,
} from './support/deploy/deploy-files.ts';
import { collectOutput, startServerProcess } from './support/server-process.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';

/*
 * The compose file's platform services really start: the migrate, api and worker services' commands
 * (the image's ENTRYPOINT plus each service's `command`) run as local processes with the service's
 * environment, its host names mapped to this machine's PostgreSQL (a fresh database) and Redis, its
 * listening addresses to loopback and free ports, and its data directory to a temporary one. The
 * image runs dist/main.js; here the same entry point runs from the sources (src/main.ts through tsx),
 * so no build is needed. Traces go nowhere: the compose collector is not running here.
 */
const services = (await postgresAvailable()) && (await redisAvailable());
const compose = composeServices();
const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** The image's ENTRYPOINT, as the exec-form array the Dockerfile declares. */
function imageEntrypoint(): string[] {
  const entrypoint = DockerfileParser.parse(repositoryText('Dockerfile')).getENTRYPOINTs().at(-1);
  return JSON.parse(entrypoint?.getRawArgumentsContent() ?? '[]') as string[];
}

/** The arguments main.js receives in `service`'s container: the entry point's, then the command. */
function containerArguments(service: ComposeService): string[] {
  const [program, script, ...rest] = imageEntrypoint();
  expect([program, script]).toEqual(['node', 'packages/platform/dist/main.js']);
  return [...rest, ...(service.command ?? [])];
}

/** `service`'s environment with Compose's interpolation applied and its addresses mapped to loopback. */
function localEnvironment(service: ComposeService, mapped: Record<string, string>): Record<string, string> {
  const variables = {
    KIMI_MASTER_KEY: mapped.KIMI_MASTER_KEY ?? '',
    KIMI_ADMIN_KEY: mapped.KIMI_ADMIN_KEY ?? '',
  };
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    environment[name] = interpolate(String(value), variables);
  }
  expect(new URL(environment.DATABASE_URL ?? '').hostname).toBe('postgres');
  expect(new URL(environment.REDIS_URL ?? '').hostname).toBe('redis');
  expect(environment.HOST).toBe('0.0.0.0');
  return { ...environment, ...mapped, HOST: '127.0.0.1', OTEL_TRACES_EXPORTER: 'none', LOG_LEVEL: 'warn' };
}

/** Runs `arguments` like the migrate container: to completion, resolving with the exit code. */
function runToCompletion(
  commandArguments: string[],
  environment: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...commandArguments], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  return new Promise((resolve) => {
    // why: a migration that hangs must not outlive the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    });
  });
}

describe('deploy/compose.yaml platform services as local processes', () => {
  it.runIf(services)(
    'migrate completes, two api replicas answer /healthz and /readyz and a sim chat, the worker serves metrics',
    async () => {
      const database = await createTemporaryDatabase();
      cleanups.push(() => database.drop());
      const directory = await mkdtemp(join(tmpdir(), 'kimi-compose-'));
      cleanups.push(() => rm(directory, { recursive: true, force: true }));
      const adminKey = `sk-kimi-compose-${randomBytes(16).toString('hex')}`;
      const mapped = {
        DATABASE_URL: database.url,
        REDIS_URL: testRedisUrl,
        KIMI_MASTER_KEY: randomBytes(32).toString('hex'),
        KIMI_ADMIN_KEY: adminKey,
        KIMI_DATA_DIR: directory,
      };
      const [migrate, api, worker] = [compose.migrate, compose.api, compose.worker];
      if (!migrate || !api || !worker) throw new Error('compose.yaml lacks migrate, api or worker');

      const migrated = await runToCompletion(containerArguments(migrate), localEnvironment(migrate, mapped));
      expect(migrated.code, migrated.output).toBe(0);

      const [apiCommand, ...apiArguments] = containerArguments(api);
      expect(apiCommand).toBe('serve');
      const replicas = [];
      for (let index = 0; index < (api.deploy?.replicas ?? 1); index += 1) {
        const replica = await startServerProcess(
          { ...localEnvironment(api, mapped), PORT: '0' },
          { command: 'serve', args: apiArguments, timeoutMs: 60_000 },
        );
        cleanups.push(() => replica.stop());
        replicas.push(replica);
      }
      expect(replicas).toHaveLength(2);

      const [workerCommand, ...workerArguments] = containerArguments(worker);
      expect(workerCommand).toBe('worker');
      const workerProcess = await startServerProcess(
        { ...localEnvironment(worker, mapped), KIMI_WORKER_METRICS_PORT: '0' },
        { command: 'worker', args: workerArguments, timeoutMs: 60_000 },
      );
      cleanups.push(() => workerProcess.stop());

      for (const replica of replicas) {
        expect((await fetch(`${replica.baseUrl}/healthz`)).status).toBe(200);
        const ready = await fetch(`${replica.baseUrl}/readyz`);
        expect(ready.status, await ready.clone().text()).toBe(200);
        const chat = await fetch(`${replica.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'sim/fast', messages: [{ role: 'user', content: 'Say hello' }] }),
        });
        expect(chat.status).toBe(200);
        const body = (await chat.json()) as { choices: Array<{ message: { content: string } }> };
        expect(body.choices[0]?.message.content).toMatch(/\S/);
      }
      const metricsAddress = /metrics on (http:\/\/[^\s)]+)/.exec(workerProcess.output())?.[1];
      expect(metricsAddress, workerProcess.output()).toBeDefined();
      const metrics = await fetch(metricsAddress ?? '');
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('kimi_queue_jobs{queue="swarm-runs"');
    },
    240_000,
  );
});
