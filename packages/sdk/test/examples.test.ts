import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../platform/test/support/test-app.ts';

/**
 * The eight SDK examples in examples/sdk run as users run them (`node --import tsx FILE`) against a
 * real platform listening on a local port, each as its own process; each must exit 0 and print
 * what it promises.
 */
let testApp: TestApp;
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

beforeAll(async () => {
  testApp = await startTestApp({ listen: true, swarms: { options: { leaseMs: 5000 } } });
});

afterAll(async () => {
  await testApp?.close();
});

function runExample(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/sdk/${file}`], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        KIMI_BASE_URL: testApp.baseUrl,
        KIMI_API_KEY: testApp.adminKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const examples: Array<[file: string, expected: RegExp[]]> = [
  [
    '01-chat.ts',
    [/^Simulated reply \(sim\/fast\)/m, /^model sim\/fast: \d+ prompt \+ \d+ completion tokens$/m],
  ],
  ['02-streaming-chat.ts', [/^Simulated reply/m, /^\d{2,} chunks; usage: \{"prompt_tokens":\d+/m]],
  [
    '03-batch-chat.ts',
    [/^#0 ok {3}Simulated/m, /^#3 400 {2}INVALID_REQUEST: /m, /^3 succeeded, 1 failed, cost \$/m],
  ],
  [
    '04-swarm-watch.ts',
    [
      /^plan: .+\(researcher\)/m,
      /^ {2}agent \S+ started on sim\/fast$/m,
      /^run completed$/m,
      /^status completed, cost \$/m,
    ],
  ],
  [
    '05-error-handling.ts',
    [
      /^wrong key: InvalidAPIKeyError API_KEY_INVALID \(authentication, retryable: false\)$/m,
      /^bad temperature: InvalidParameterError INVALID_REQUEST \(validation/m,
      /^ {2}param: {3}temperature$/m,
      /^missing run: NotFoundError NOT_FOUND \(resources/m,
      /^unreachable: RetryExhaustedError CONNECTION_ERROR \(network/m,
      /gave up after 3 attempts \(fetch called 3 times\); last error is ConnectionError: true/,
      /^with retries: Simulated/m,
    ],
  ],
  ['06-health-and-metrics.ts', [/^live: true, ready: true$/m, /^kimi_model_requests_total\s+[1-9]/m]],
  [
    '07-knowledge-base-rag.ts',
    [
      /^refunds\.md: ready$/m,
      /^shipping\.md: ready$/m,
      /^hit \S+ refunds\.md: # Refunds/m,
      /^ {2}cited: refunds\.md/m,
    ],
  ],
  [
    '08-cost-governance.ts',
    [
      /^spent \$0\.\d+ of \$5/m,
      /^usage of the key: 3 requests, \$/m,
      /^refused: BUDGET_EXCEEDED \(limits\): /m,
      /^budget deleted, key revoked$/m,
    ],
  ],
];

describe('examples/sdk', () => {
  it.each(examples)(
    '%s runs against the platform',
    async (file, expected) => {
      const { code, output } = await runExample(file);
      expect(code, output).toBe(0);
      for (const pattern of expected) expect(output, output).toMatch(pattern);
    },
    60_000,
  );
});
