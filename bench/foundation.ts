/**
 * Start-up time (first and later starts) and single-request latency at low load, for the embedded
 * store and PostgreSQL. Loopback only; every process it starts is stopped before it exits.
 *
 *   npm run bench:foundation                                  # embedded only
 *   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:foundation
 *
 * With BENCH_POSTGRES_URL, a scratch database is created beside the one named and dropped after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const mainPath = fileURLToPath(new URL('../packages/platform/src/main.ts', import.meta.url));
const adminKey = `sk-kimi-bench-${'b'.repeat(32)}`;
const requestsPerRun = Number(process.env.BENCH_REQUESTS ?? 1000);
const running = new Set<ChildProcess>();

function progress(message: string): void {
  process.stderr.write(`\r\x1b[K${message}`);
}

async function start(
  environment: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KIMI_ADMIN_KEY: adminKey,
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return { child, url, ms: performance.now() - started };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  running.delete(child);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

async function measureRequests(url: string, stream: boolean, label: string) {
  const durations: number[] = [];
  const body = (index: number) =>
    JSON.stringify({
      model: 'sim/fast',
      stream,
      max_tokens: 40,
      messages: [{ role: 'user', content: `latency probe ${index % 50}` }],
    });
  for (let index = 0; index < requestsPerRun + 50; index++) {
    const started = performance.now();
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body(index),
    });
    if (stream) {
      // Time to first byte of the body: the first SSE chunk.
      const reader = response.body!.getReader();
      await reader.read();
      if (index >= 50) durations.push(performance.now() - started);
      while (!(await reader.read()).done) {}
    } else {
      await response.text();
      if (index >= 50) durations.push(performance.now() - started);
    }
    if (response.status !== 200) throw new Error(`${label}: status ${response.status}`);
    if (index % 50 === 0) progress(`${label}: ${index}/${requestsPerRun + 50}`);
  }
  durations.sort((a, b) => a - b);
  return {
    p50: percentile(durations, 0.5),
    p90: percentile(durations, 0.9),
    p99: percentile(durations, 0.99),
  };
}

async function benchmarkBackend(name: string, environment: () => Promise<Record<string, string>>) {
  const rows: string[] = [];
  const env = await environment();
  const first = await start(env);
  await stop(first.child);
  const later: number[] = [];
  for (let run = 0; run < 3; run++) {
    progress(`${name}: later start ${run + 1}/3`);
    const instance = await start(env);
    later.push(instance.ms);
    if (run < 2) await stop(instance.child);
    else {
      const json = await measureRequests(instance.url, false, `${name} JSON`);
      const streamed = await measureRequests(instance.url, true, `${name} SSE first chunk`);
      await stop(instance.child);
      rows.push(
        `| ${name} | ${first.ms.toFixed(0)} | ${later.map((ms) => ms.toFixed(0)).join(' / ')} | ` +
          `${json.p50.toFixed(2)} / ${json.p90.toFixed(2)} / ${json.p99.toFixed(2)} | ` +
          `${streamed.p50.toFixed(2)} / ${streamed.p90.toFixed(2)} / ${streamed.p99.toFixed(2)} |`,
      );
    }
  }
  return rows;
}

async function administer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function main() {
  const directories: string[] = [];
  const rows: string[] = [];
  try {
    rows.push(
      ...(await benchmarkBackend('embedded (PGlite)', async () => {
        const directory = await mkdtemp(join(tmpdir(), 'kimi-bench-'));
        directories.push(directory);
        return { KIMI_DATA_DIR: directory };
      })),
    );
    const postgresUrl = process.env.BENCH_POSTGRES_URL;
    if (postgresUrl) {
      const scratch = `kimi_bench_${process.pid}`;
      await administer(postgresUrl, `CREATE DATABASE ${scratch}`);
      try {
        const url = new URL(postgresUrl);
        url.pathname = `/${scratch}`;
        rows.push(
          ...(await benchmarkBackend('PostgreSQL', async () => {
            const directory = await mkdtemp(join(tmpdir(), 'kimi-bench-pg-'));
            directories.push(directory);
            return { KIMI_DATA_DIR: directory, DATABASE_URL: url.toString() };
          })),
        );
      } finally {
        for (const child of running) child.kill('SIGKILL');
        await administer(postgresUrl, `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
      }
    }
  } finally {
    for (const child of running) child.kill('SIGKILL');
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  }
  progress('');
  const table = [
    `Measured ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}; ` +
      `${requestsPerRun} sequential requests per row after 50 warm-up, sim/fast (no simulated latency), loopback, keep-alive.`,
    '',
    '| backend | first start ms | later starts ms | JSON request ms p50 / p90 / p99 | SSE first chunk ms p50 / p90 / p99 |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  console.log(table);
  await writeFile(
    new URL('./results/foundation.md', import.meta.url),
    `# Foundation measurements\n\n${table}\n`,
  );
}

process.once('SIGINT', () => {
  for (const child of running) child.kill('SIGKILL');
  process.exit(130);
});
await main();
