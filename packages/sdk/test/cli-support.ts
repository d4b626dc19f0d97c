import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tool, ToolResolver } from '../../platform/src/agents/index.ts';
import { startTestApp, type TestApp } from '../../platform/test/support/test-app.ts';

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

/** Every tool a template names answers offline, so no swarm run reaches the network; `deploy` needs approval. */
export const offlineTools: ToolResolver = {
  async resolve(_organizationId, names) {
    return names.map(
      (name): Tool => ({
        definition: {
          name,
          description: `${name} (offline)`,
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
          // `deploy` waits for a person's approval, for `kimi swarm approve`
          ...(name === 'deploy' ? { needsApproval: true } : {}),
        },
        async execute() {
          return { ok: true, output: `no ${name} results offline` };
        },
      }),
    );
  },
};

/** A platform listening on a local port, and the binary with profiles in a temporary directory. */
export interface CliPlatform {
  testApp: TestApp;
  /** A temporary directory for the suite's files (removed by `close`). */
  directory: string;
  configDirectory: string;
  /** Runs the binary with this suite's profiles (and no key from the environment unless given). */
  kimi(args: readonly string[], options?: KimiRunOptions): Promise<KimiRun>;
  close(): Promise<void>;
}

/** Starts the real platform (PGlite, simulated models, offline tools) for a CLI suite. */
export async function startCliPlatform(): Promise<CliPlatform> {
  const testApp = await startTestApp({
    listen: true,
    swarms: { tools: offlineTools, options: { leaseMs: 5000 } },
  });
  const directory = await mkdtemp(join(tmpdir(), 'kimi-cli-'));
  const configDirectory = join(directory, 'config');
  return {
    testApp,
    directory,
    configDirectory,
    kimi: (args, options = {}) =>
      runKimi(args, {
        ...options,
        environment: { KIMI_CONFIG_DIR: configDirectory, ...options.environment },
      }),
    async close() {
      await testApp.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Parses a command's JSON output. */
export const json = <Value>(text: string): Value => JSON.parse(text) as Value;
