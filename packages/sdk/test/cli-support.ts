import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `kimi` binary as users run it. */
export const kimiBinary = fileURLToPath(new URL('../bin/kimi.js', import.meta.url));

export interface KimiRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KimiRunOptions {
  /** Variables besides PATH and HOME; nothing else of the test's environment leaks in. */
  environment?: Record<string, string>;
  /** Written to stdin, which is then closed (stdin is empty otherwise). */
  input?: string;
}

/**
 * Runs `node bin/kimi.js ARGS…` as a child process and collects its output. Asynchronous on
 * purpose: the platform it talks to runs in this test's process and must keep serving meanwhile.
 */
export function runKimi(args: readonly string[], options: KimiRunOptions = {}): Promise<KimiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kimiBinary, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...options.environment,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Describes a run for assertion messages, so a failure shows what the CLI printed. */
export function describeRun(run: KimiRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
