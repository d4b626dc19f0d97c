import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectOutput } from '../server-process.ts';

/** The image's working directory, where the repository root sits in this checkout. */
export const imageWorkingDirectory = '/app';
const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface EnvironmentVariable {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

export interface Container {
  name: string;
  command: string[];
  args: string[];
  env: EnvironmentVariable[];
  ports?: Array<{ name: string; containerPort: number }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  startupProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
}

export interface PodSpec {
  containers: Container[];
  volumes: Array<{ name: string; configMap?: { name: string }; emptyDir?: Record<string, never> }>;
}

/**
 * The container's environment as the kubelet would build it: literal values as written, secret
 * references resolved from `secrets` (a missing key fails unless the reference is optional).
 */
export function containerEnvironment(
  container: Container,
  secrets: Record<string, Record<string, string>>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const variable of container.env) {
    if (variable.value !== undefined) {
      environment[variable.name] = variable.value;
      continue;
    }
    const reference = variable.valueFrom?.secretKeyRef;
    if (!reference) throw new Error(`${variable.name} has neither a value nor a secret reference`);
    const value = secrets[reference.name]?.[reference.key];
    if (value !== undefined) environment[variable.name] = value;
    else if (!reference.optional) throw new Error(`secret ${reference.name} has no key ${reference.key}`);
  }
  return environment;
}

/**
 * Lays each volume mount out under `root`: ConfigMap volumes get their data as files, emptyDirs an
 * empty folder. Returns the mount path → local folder map.
 */
export async function localVolumes(
  pod: PodSpec,
  container: Container,
  configMaps: Record<string, Record<string, string>>,
  root: string,
): Promise<Map<string, string>> {
  const mounts = new Map<string, string>();
  for (const mount of container.volumeMounts) {
    const folder = join(root, container.name, mount.name);
    await mkdir(folder, { recursive: true });
    const volume = pod.volumes.find((candidate) => candidate.name === mount.name);
    if (!volume) throw new Error(`volume ${mount.name} is mounted but not declared`);
    if (volume.configMap) {
      const data = configMaps[volume.configMap.name];
      if (!data) throw new Error(`ConfigMap ${volume.configMap.name} is not rendered`);
      for (const [file, text] of Object.entries(data)) await writeFile(join(folder, file), text);
    }
    mounts.set(mount.mountPath, folder);
  }
  return mounts;
}

/** Rewrites container paths in environment values to the local folders standing in for the mounts. */
export function mapMountedPaths(
  environment: Record<string, string>,
  mounts: Map<string, string>,
): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    const mount = [...mounts.keys()].find((path) => value === path || value.startsWith(`${path}/`));
    mapped[name] = mount ? `${mounts.get(mount)}${value.slice(mount.length)}` : value;
  }
  return mapped;
}

export interface ContainerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Runs the container's command and args as a local process from the repository root (the image's
 * /app). `node packages/platform/dist/main.js` runs as its source through tsx: the same CLI, unbuilt.
 */
export function runContainer(container: Container, environment: Record<string, string>): ContainerProcess {
  const [program, entry, ...rest] = container.command;
  if (program !== 'node' || entry !== 'packages/platform/dist/main.js') {
    throw new Error(`unexpected command ${container.command.join(' ')}`);
  }
  const source = join(repositoryRoot, 'packages/platform/src/main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', source, ...rest, ...container.args], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers `status`, or fails naming the process output after `timeoutMs`. */
export async function waitForStatus(
  url: string,
  status: number,
  process: ContainerProcess,
  timeoutMs = 60_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null)
      throw new Error(`exited before ${url} answered:\n${process.output()}`);
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    if (response?.status === status) return response;
    await response?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms:\n${process.output()}`);
}
