import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Sends a signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The port in the start-up banner: `listening on http://127.0.0.1:8080`, `http://[::1]:8080` or
 * `all interfaces (0.0.0.0:8080)`.
 */
export const bannerPattern = /listening on (?:http:\/\/|all interfaces \()(\[[^\]]+\]|[^\s:/]+):(\d+)/;

export interface ServerProcessOptions {
  args?: string[];
  timeoutMs?: number;
  command?: 'serve' | 'worker';
  /** Leave HOST unset (not even inherited), so the CLI's own default applies; otherwise 127.0.0.1. */
  defaultHost?: boolean;
}

/** Everything a child process writes to stdout and stderr so far, interleaved as it arrived. */
export function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const append = (data: Buffer) => {
    output += data.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => output;
}

/** Starts `kimi-platform serve` as a real child process on a free port and waits until it listens. */
export async function startServerProcess(
  environment: Record<string, string>,
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const command = options.command ?? 'serve';
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...environment,
  };
  if (options.defaultHost) delete env.HOST;
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, command, ...(options.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // why: a server that never said it listens must not outlive the test.
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output()}`));
    }, options.timeoutMs ?? 30_000);
    const check = () => {
      const match = bannerPattern.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[2]}`);
      } else if (command === 'worker' && output().includes('worker ready')) {
        clearTimeout(timer);
        resolve('');
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output()}`));
    });
  });
  return {
    child,
    baseUrl,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
