import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deleteRedisKeysWithPrefix,
  retryUntilResolved,
  startRedisOutageProxy,
  unusedPort,
} from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import { createBullmqJobQueue } from './bullmq-job-queue.ts';
import { runJobQueueContract } from './job-queue.contract.ts';
import type { Job } from './job-queue.ts';

const redis = await redisAvailable();
// BullMQ puts ':' after the prefix itself.
const suitePrefix = uniqueRedisPrefix('job-queue').slice(0, -1);
let queueCount = 0;

describe.runIf(redis)('bullmq job queue', () => {
  afterAll(async () => {
    expect(await deleteRedisKeysWithPrefix(testRedisUrl, suitePrefix)).toBe(0);
  });

  runJobQueueContract('bullmq', async () => {
    queueCount += 1;
    const prefix = `${suitePrefix}-${queueCount}`;
    const queue = createBullmqJobQueue({ url: testRedisUrl, prefix });
    return {
      queue,
      async cleanup() {
        await queue.close();
        await deleteRedisKeysWithPrefix(testRedisUrl, `${prefix}:`);
      },
    };
  });

  it('keeps only the newest finished jobs', async () => {
    const prefix = `${suitePrefix}-retention`;
    const queue = createBullmqJobQueue({ url: testRedisUrl, prefix, keepFinishedJobs: 3 });
    await queue.work(
      'kept',
      async (job) => {
        if (job.data.fail) throw new Error('fails');
      },
      { concurrency: 2 },
    );
    for (let index = 0; index < 8; index += 1) await queue.enqueue('kept', { fail: index % 2 === 0 });
    await expect
      .poll(async () => (await queue.counts('kept')).active + (await queue.counts('kept')).waiting)
      .toBe(0);
    await expect.poll(async () => await queue.counts('kept')).toMatchObject({ completed: 3, failed: 3 });
    await queue.close();
    await deleteRedisKeysWithPrefix(testRedisUrl, `${prefix}:`);
  });

  it('rejects enqueue and counts within about a second when Redis is unreachable', async () => {
    const queue = createBullmqJobQueue({ url: `redis://127.0.0.1:${await unusedPort()}` });
    const started = performance.now();
    await expect(queue.enqueue('unreachable', {})).rejects.toThrow();
    await expect(queue.counts('unreachable')).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_500);
    await queue.close();
  });

  it('rejects enqueue during an outage and resumes enqueueing and working when Redis returns', async () => {
    const prefix = `${suitePrefix}-outage`;
    const proxy = await startRedisOutageProxy(testRedisUrl);
    const queue = createBullmqJobQueue({ url: proxy.url, prefix });
    const seen: unknown[] = [];
    try {
      await queue.work(
        'survives',
        async (job) => {
          seen.push(job.data.index);
        },
        { concurrency: 1 },
      );
      await queue.enqueue('survives', { index: 1 });
      await expect.poll(() => seen.length).toBe(1);

      await proxy.stop();
      const started = performance.now();
      await expect(queue.enqueue('survives', { index: 2 })).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(1_500);

      await proxy.start();
      await retryUntilResolved(() => queue.enqueue('survives', { index: 3 }), 5_000);
      await expect.poll(() => seen, { timeout: 8_000, interval: 50 }).toEqual([1, 3]);
    } finally {
      await queue.close();
      await proxy.stop();
      await deleteRedisKeysWithPrefix(testRedisUrl, `${prefix}:`);
    }
  });

  it('gives the job of a worker whose process died to another worker after the lease', async ({
    annotate,
  }) => {
    const prefix = `${suitePrefix}-stalled`;
    const leaseMs = 1_000;
    const queue = createBullmqJobQueue({ url: testRedisUrl, prefix });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./bullmq-worker-process.fixture.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          FIXTURE_REDIS_URL: testRedisUrl,
          FIXTURE_PREFIX: prefix,
          FIXTURE_QUEUE: 'steps',
          FIXTURE_LEASE_MS: String(leaseMs),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await waitForLine(child, 'ready', 15_000);
      await queue.enqueue('steps', { step: 1 }, { jobId: 'run-7:step-1' });
      await waitForLine(child, 'started run-7:step-1 1', 5_000);
      child.kill('SIGKILL');
      const killedAt = performance.now();

      const seen: Job[] = [];
      let pickedUpAt = 0;
      await queue.work(
        'steps',
        async (job) => {
          seen.push(job);
          pickedUpAt = performance.now();
        },
        { concurrency: 1, leaseMs },
      );
      await expect.poll(() => seen.length, { timeout: 8_000, interval: 50 }).toBe(1);
      const waitedMs = pickedUpAt - killedAt;
      await annotate(`picked up ${Math.round(waitedMs)} ms after the first worker was killed`);
      // Not before the dead worker's lock lapsed (it renews every half lease), and within about
      // two leases after.
      expect(waitedMs).toBeGreaterThan(leaseMs / 2);
      expect(waitedMs).toBeLessThan(3 * leaseMs);
      expect(seen[0]).toMatchObject({ id: 'run-7:step-1', data: { step: 1 } });
      await expect.poll(async () => (await queue.counts('steps')).completed).toBe(1);
      expect(await queue.counts('steps')).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    } finally {
      child.kill('SIGKILL');
      await queue.close();
      await deleteRedisKeysWithPrefix(testRedisUrl, `${prefix}:`);
    }
  });
});

function waitForLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => finish(new Error(`no "${line}" from the worker within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.split('\n').includes(line)) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`worker exited with ${code} before "${line}"`));
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
