import { type ChildProcess, spawn } from 'node:child_process';
import { onCleanup } from './cleanup.ts';

/** A process the benchmark started; every one is stopped before the benchmark exits. */
export interface StartedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Everything it printed so far (stdout and stderr), for error messages. */
  output(): string;
}

const running = new Set<ChildProcess>();

function killEverything(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

onCleanup({ now: killEverything });

/** Only what a child needs from our environment: nothing that could turn on real providers or services. */
export function baseEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) environment[name] = value;
  }
  return environment;
}

/** Starts `node <arguments>` with exactly `environment`, capturing its output. */
export function startNode(
  name: string,
  nodeArguments: string[],
  environment: Record<string, string>,
  options: { ipc?: boolean; cwd?: string } = {},
): StartedProcess {
  const child = spawn(process.execPath, nodeArguments, {
    env: environment,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start node`);
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (data: Buffer) => {
    // Bounded: only the tail matters for an error message.
    output = (output + data.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, pid: child.pid, output: () => output };
}

/** Resolves with the first match of `pattern` in the process's output; rejects if it exits or times out. */
export function waitForOutput(
  started: StartedProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(started.output());
      if (match) {
        finish();
        resolve(match);
      }
    };
    const onExit = (code: number | null) => {
      finish();
      reject(new Error(`${started.name} exited (${code}) before it was ready:\n${started.output()}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${started.name} was not ready within ${timeoutMs} ms:\n${started.output()}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      started.child.stdout?.off('data', check);
      started.child.stderr?.off('data', check);
      started.child.off('exit', onExit);
    };
    started.child.stdout?.on('data', check);
    started.child.stderr?.on('data', check);
    started.child.once('exit', onExit);
    check();
  });
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export function stopProcess(started: StartedProcess, graceMs = 5000): Promise<void> {
  return stopChild(started.child, graceMs);
}

/** Stops every process still running (used in `finally` blocks). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 3000)));
}
