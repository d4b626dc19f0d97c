import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../../../bench/support/free-port.ts';
import { deployDirectory } from './prometheus-tools.ts';
import { collectOutput } from './server-process.ts';
import { prometheusPrograms } from './services.ts';

export interface PrometheusServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** Runs an instant query; resolves with the API's answer as parsed JSON. */
  query(expression: string): Promise<InstantQueryAnswer>;
  /** Resolves once the target has been scraped healthily at least `scrapes` times since this call. */
  waitForScrapes(scrapes: number, timeoutMs: number): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

export interface InstantQueryAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function until<Value>(
  check: () => Promise<Value | null>,
  timeoutMs: number,
  what: string,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Starts a real Prometheus (Debian's binary) on a free loopback port with its data in a temporary
 * directory, scraping `target` (host:port) every second as job `kimi-platform` and evaluating the
 * committed recording and alert rules every second. `stop` kills it and removes the directory.
 */
export async function startPrometheus(target: string): Promise<PrometheusServer> {
  const directory = await mkdtemp(join(tmpdir(), 'kimi-prometheus-'));
  const port = await freeLoopbackPort();
  const configPath = join(directory, 'prometheus.yml');
  await writeFile(
    configPath,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${join(deployDirectory, 'prometheus/rules/kimi-recording.rules.yml')}`,
      `  - ${join(deployDirectory, 'prometheus/rules/kimi-alerts.rules.yml')}`,
      'scrape_configs:',
      '  - job_name: kimi-platform',
      '    scrape_timeout: 1s',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    prometheusPrograms.prometheus,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = collectOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const query = async (expression: string): Promise<InstantQueryAnswer> => {
    const response = await fetch(`${baseUrl}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expression }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    return (await response.json()) as InstantQueryAnswer;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    await rm(directory, { recursive: true, force: true });
  };
  const scrapeCount = async (): Promise<number> => {
    const answer = await query('sum(count_over_time(up{job="kimi-platform"}[1h]))');
    return Number(answer.data?.result[0]?.value[1] ?? 0);
  };
  try {
    await until(async () => ((await fetch(`${baseUrl}/-/ready`)).ok ? true : null), 30_000, 'Prometheus');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}:\n${output()}`);
  }
  return {
    baseUrl,
    query,
    async waitForScrapes(scrapes, timeoutMs) {
      const before = await scrapeCount();
      await until(
        async () => {
          const up = await query('min(up{job="kimi-platform"})');
          const healthy = up.data?.result[0]?.value[1] === '1';
          return healthy && (await scrapeCount()) >= before + scrapes ? true : null;
        },
        timeoutMs,
        `${scrapes} healthy scrapes of ${target}`,
      );
    },
    output,
    stop,
  };
}
