import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Container,
  type ContainerProcess,
  containerEnvironment,
  localVolumes,
  mapMountedPaths,
  type PodSpec,
  runContainer,
  waitForStatus,
} from './support/kubernetes/manifest-processes.ts';
import { type Manifest, renderOverlay } from './support/kubernetes/rendered-manifests.ts';
import {
  createTemporaryDatabase,
  kubectlAvailable,
  postgresAvailable,
  redisAvailable,
  testRedisUrl,
} from './support/services.ts';
import { waitForRun } from './support/swarm-test-support.ts';

/*
 * "The manifests really start the platform": the dev overlay's migrations Job, API Deployment and
 * worker Deployment are run as local processes with exactly their command, args and environment
 * (secret references filled with test values, mounts laid out in a temporary folder), against this
 * machine's PostgreSQL (a fresh database) and Redis. Loopback only: HOST is 127.0.0.1 here, where
 * the pods bind 0.0.0.0 to be reachable through their Service.
 */
const services = kubectlAvailable() && (await postgresAvailable()) && (await redisAvailable());
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const podOf = (manifest: Manifest | undefined): PodSpec => {
  const spec = manifest?.spec as { template?: { spec?: PodSpec } } | undefined;
  if (!spec?.template?.spec) throw new Error('no pod template rendered');
  return spec.template.spec;
};

/** The declared port when it is free here; otherwise a free one (other suites share this machine). */
async function localPort(declared: number): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  return (await listen(declared)) ?? (await listen(0)) ?? declared;
}

function declaredPort(container: Container, name: string): number {
  const port = container.ports?.find((candidate) => candidate.name === name);
  if (!port) throw new Error(`${container.name} declares no port ${name}`);
  return port.containerPort;
}

describe('the dev overlay run as local processes', () => {
  it.runIf(services)(
    'migrates, serves /healthz and /readyz on the declared port, answers a chat, and its worker runs a swarm',
    async () => {
      const manifests = renderOverlay('dev');
      const byKind = (kind: string, name: string) =>
        manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
      const configMap = byKind('ConfigMap', 'kimi-platform-config') as
        | { data?: Record<string, string> }
        | undefined;
      const configMaps = { 'kimi-platform-config': configMap?.data ?? {} };
      const database = await createTemporaryDatabase();
      cleanups.push(() => database.drop());
      const root = await mkdtemp(join(tmpdir(), 'kimi-kubernetes-'));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      const adminKey = `sk-kimi-kubernetes-${randomBytes(20).toString('hex')}`;
      const secrets = {
        'kimi-platform-secrets': {
          'database-url': database.url,
          'redis-url': testRedisUrl,
          'master-key': randomBytes(32).toString('hex'),
          'admin-key': adminKey,
        },
      };
      const prepare = async (pod: PodSpec) => {
        const container = pod.containers[0];
        if (!container) throw new Error('the pod has no container');
        const mounts = await localVolumes(pod, container, configMaps, root);
        const environment = mapMountedPaths(containerEnvironment(container, secrets), mounts);
        const local: Record<string, string> = { ...environment, HOST: '127.0.0.1' };
        return { container, environment: local };
      };
      const started: ContainerProcess[] = [];
      cleanups.push(async () => {
        for (const process of started) await process.stop();
      });

      const job = await prepare(podOf(byKind('Job', 'kimi-platform-migrations')));
      expect(job.container.args).toEqual(['migrate']);
      // Why: a pre-install hook runs before Helm creates the ConfigMap, so the Job must not need it.
      expect(job.environment.KIMI_CONFIG).toBeUndefined();
      const migrate = runContainer(job.container, job.environment);
      started.push(migrate);
      expect(await migrate.exited, migrate.output()).toBe(0);

      /** Starts a Deployment's container on its declared port, whose number `variable` must carry. */
      const startDeployment = async (name: string, args: string[], portName: string, variable: string) => {
        const pod = await prepare(podOf(byKind('Deployment', name)));
        expect(pod.container.args).toEqual(args);
        expect(pod.environment.KIMI_CONFIG?.startsWith(root)).toBe(true);
        const declared = declaredPort(pod.container, portName);
        expect(pod.environment[variable]).toBe(String(declared));
        const port = await localPort(declared);
        const process = runContainer(pod.container, { ...pod.environment, [variable]: String(port) });
        started.push(process);
        return { container: pod.container, process, port };
      };

      const api = await startDeployment('kimi-platform-api', ['serve'], 'http', 'PORT');
      const server = api.process;
      const apiPort = api.port;
      const baseUrl = `http://127.0.0.1:${apiPort}`;
      for (const probe of [
        api.container.startupProbe,
        api.container.livenessProbe,
        api.container.readinessProbe,
      ]) {
        expect(probe?.httpGet.port).toBe('http');
        await waitForStatus(`${baseUrl}${probe?.httpGet.path}`, 200, server);
      }
      expect(api.container.readinessProbe?.httpGet.path).toBe('/readyz');
      expect(api.container.livenessProbe?.httpGet.path).toBe('/healthz');

      const client = new OpenAI({ apiKey: adminKey, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'sim/fast',
        messages: [{ role: 'user', content: 'hello from the cluster manifests' }],
      });
      expect(completion.choices[0]?.message.content).toBeTruthy();

      const workerPod = await startDeployment(
        'kimi-platform-worker',
        ['worker'],
        'metrics',
        'KIMI_WORKER_METRICS_PORT',
      );
      const worker = workerPod.process;
      const workerPort = workerPod.port;
      const probePath = workerPod.container.livenessProbe?.httpGet.path;
      const metrics = await (
        await waitForStatus(`http://127.0.0.1:${workerPort}${probePath}`, 200, worker)
      ).text();
      // Why: the worker HPA scales on this series (through prometheus-adapter) and KEDA queries it.
      expect(metrics).toContain('kimi_queue_jobs{queue="swarm-runs",state="waiting"}');

      // The API runs with KIMI_SWARM_WORKER=0, so only the worker process can complete this run.
      const created = await fetch(`${baseUrl}/v1/swarms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ task: 'Count to three', model: 'sim/fast', max_agents: 2 }),
      });
      expect(created.status).toBe(202);
      const run = (await created.json()) as { id: string };
      expect((await waitForRun(baseUrl, adminKey, run.id, 90_000)).status).toBe('completed');

      for (const process of started) await process.stop();
      expect(server.child.exitCode).toBe(0);
      expect(worker.child.exitCode).toBe(0);
    },
    240_000,
  );
});
