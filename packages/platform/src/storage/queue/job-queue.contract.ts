import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobQueue, QueueWorker } from './job-queue.ts';

/** A fresh, empty queue and a way to close it and remove everything it stored. */
export interface JobQueueUnderTest {
  queue: JobQueue;
  cleanup(): Promise<void>;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Resolves once `condition` holds, polling every 5 ms; fails after `timeoutMs`. */
async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** A promise with its resolve function, to hold a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The behaviour every job-queue backend must share. */
export function runJobQueueContract(name: string, factory: () => Promise<JobQueueUnderTest>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let underTest: JobQueueUnderTest;
    let queue: JobQueue;
    const workers: QueueWorker[] = [];

    beforeEach(async () => {
      underTest = await factory();
      queue = underTest.queue;
    });

    afterEach(async () => {
      await Promise.all(workers.splice(0).map((worker) => worker.close()));
      await underTest.cleanup();
    });

    const work = async (
      queueName: string,
      handler: (job: Job) => Promise<void>,
      options: { concurrency: number } = { concurrency: 1 },
    ) => {
      const worker = await queue.work(queueName, handler, options);
      workers.push(worker);
      return worker;
    };

    it('processes each of 60 jobs exactly once, with its data and id', async () => {
      const seen: Job[] = [];
      await work(
        'emails',
        async (job) => {
          seen.push(job);
        },
        { concurrency: 4 },
      );
      const enqueued = await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          queue.enqueue('emails', { index, to: `user-${index}@example.com` }),
        ),
      );
      await eventually(() => seen.length >= 60);
      await sleep(50);
      expect(seen).toHaveLength(60);
      expect(new Set(seen.map((job) => job.id))).toEqual(new Set(enqueued.map((result) => result.id)));
      expect(enqueued.every((result) => !result.deduplicated)).toBe(true);
      const byIndex = seen.map((job) => job.data.index).sort((left, right) => Number(left) - Number(right));
      expect(byIndex).toEqual(Array.from({ length: 60 }, (_, index) => index));
      expect(seen.every((job) => job.queue === 'emails' && job.attempt === 1)).toBe(true);
      expect(seen.find((job) => job.data.index === 7)?.data).toEqual({ index: 7, to: 'user-7@example.com' });
      await eventually(async () => (await queue.counts('emails')).completed === 60);
      expect(await queue.counts('emails')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        completed: 60,
      });
    });

    it('carries nested JSON data unchanged', async () => {
      const data = { run: { id: 'run-1', steps: [1, 2, 3] }, text: 'Grüße 🌍', flag: true, nothing: null };
      let received: unknown;
      await work('nested', async (job) => {
        received = job.data;
      });
      await queue.enqueue('nested', data);
      await eventually(() => received !== undefined);
      expect(received).toEqual(data);
    });

    it('never runs more jobs at once than the concurrency', async () => {
      let running = 0;
      let mostAtOnce = 0;
      let finished = 0;
      await work(
        'bounded',
        async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await sleep(30);
          running -= 1;
          finished += 1;
        },
        { concurrency: 3 },
      );
      await Promise.all(Array.from({ length: 15 }, (_, index) => queue.enqueue('bounded', { index })));
      await eventually(() => finished === 15);
      expect(mostAtOnce).toBe(3);
    });

    it('runs jobs first in, first out with one worker slot', async () => {
      const order: unknown[] = [];
      for (let index = 0; index < 10; index += 1) await queue.enqueue('ordered', { index });
      await work('ordered', async (job) => {
        order.push(job.data.index);
      });
      await eventually(() => order.length === 10);
      expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('runs jobs without a priority first, then by ascending priority, each first in, first out', async () => {
      const plan: Array<[string, number | undefined]> = [
        ['low-a', 50],
        ['plain-a', undefined],
        ['high-a', 1],
        ['low-b', 50],
        ['plain-b', undefined],
        ['high-b', 1],
        ['middle', 10],
      ];
      for (const [name, priority] of plan) {
        await queue.enqueue('prioritized', { name }, priority === undefined ? {} : { priority });
      }
      const order: unknown[] = [];
      await work('prioritized', async (job) => {
        order.push(job.data.name);
      });
      await eventually(() => order.length === plan.length);
      expect(order).toEqual(['plain-a', 'plain-b', 'high-a', 'high-b', 'middle', 'low-a', 'low-b']);
    });

    it('keeps jobs enqueued before any worker until one starts', async () => {
      await queue.enqueue('early', { index: 1 });
      await queue.enqueue('early', { index: 2 });
      await sleep(50);
      expect(await queue.counts('early')).toMatchObject({ waiting: 2, active: 0, completed: 0 });
      const seen: unknown[] = [];
      await work('early', async (job) => {
        seen.push(job.data.index);
      });
      await eventually(() => seen.length === 2);
      expect(seen).toEqual([1, 2]);
    });

    it('keeps queues apart', async () => {
      const first: unknown[] = [];
      await work('first', async (job) => {
        first.push(job.data.index);
      });
      await queue.enqueue('second', { index: 'second' });
      await queue.enqueue('first', { index: 'first' });
      await eventually(() => first.length === 1);
      await sleep(50);
      expect(first).toEqual(['first']);
      expect((await queue.counts('second')).waiting).toBe(1);
    });

    it('deduplicates a jobId while the job is waiting or delayed', async () => {
      const first = await queue.enqueue('dedupe', { version: 1 }, { jobId: 'run-1:step-1' });
      const second = await queue.enqueue('dedupe', { version: 2 }, { jobId: 'run-1:step-1' });
      const delayed = await queue.enqueue('dedupe', { version: 1 }, { jobId: 'later', delayMs: 200 });
      const delayedAgain = await queue.enqueue('dedupe', { version: 2 }, { jobId: 'later' });
      expect(first).toEqual({ id: 'run-1:step-1', deduplicated: false });
      expect(second).toEqual({ id: 'run-1:step-1', deduplicated: true });
      expect(delayed).toEqual({ id: 'later', deduplicated: false });
      expect(delayedAgain).toEqual({ id: 'later', deduplicated: true });
      const seen: Job[] = [];
      await work('dedupe', async (job) => {
        seen.push(job);
      });
      await eventually(() => seen.length === 2);
      await sleep(50);
      expect(seen.map((job) => [job.id, job.data.version])).toEqual([
        ['run-1:step-1', 1],
        ['later', 1],
      ]);
    });

    it('deduplicates a jobId while the job is active, and accepts it again once finished', async () => {
      const release = gate();
      const seen: unknown[] = [];
      await work('active-dedupe', async (job) => {
        seen.push(job.data.version);
        if (job.data.version === 1) await release.promise;
      });
      await queue.enqueue('active-dedupe', { version: 1 }, { jobId: 'step' });
      await eventually(() => seen.length === 1);
      expect(await queue.enqueue('active-dedupe', { version: 2 }, { jobId: 'step' })).toEqual({
        id: 'step',
        deduplicated: true,
      });
      release.open();
      await eventually(async () => (await queue.counts('active-dedupe')).completed === 1);
      expect(await queue.enqueue('active-dedupe', { version: 3 }, { jobId: 'step' })).toEqual({
        id: 'step',
        deduplicated: false,
      });
      await eventually(() => seen.length === 2);
      expect(seen).toEqual([1, 3]);
    });

    it('does not run a delayed job before its delay', async () => {
      const startedAt: number[] = [];
      await work('delayed', async () => {
        startedAt.push(Date.now());
      });
      const enqueuedAt = Date.now();
      await queue.enqueue('delayed', {}, { delayMs: 300 });
      expect(await queue.counts('delayed')).toMatchObject({ delayed: 1, waiting: 0 });
      await eventually(() => startedAt.length === 1);
      expect(startedAt[0]! - enqueuedAt).toBeGreaterThanOrEqual(300);
      expect(startedAt[0]! - enqueuedAt).toBeLessThan(2_300);
    });

    it('retries a failing job with attempts 1..k and exponential backoff until it succeeds', async () => {
      const tries: Array<{ attempt: number; at: number }> = [];
      await work('flaky', async (job) => {
        tries.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 3) throw new Error(`try ${job.attempt} fails`);
      });
      await queue.enqueue('flaky', {}, { attempts: 4, backoffMs: 100 });
      await eventually(async () => (await queue.counts('flaky')).completed === 1);
      expect(tries.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(100);
      expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(200);
      expect(await queue.counts('flaky')).toMatchObject({ failed: 0, completed: 1, delayed: 0, waiting: 0 });
    });

    it('counts a job as failed once its attempts are exhausted, and frees its id', async () => {
      const attempts: number[] = [];
      await work('doomed', async (job) => {
        attempts.push(job.attempt);
        throw new Error('always fails');
      });
      await queue.enqueue('doomed', {}, { jobId: 'doomed-job', attempts: 2, backoffMs: 10 });
      await eventually(async () => (await queue.counts('doomed')).failed === 1);
      expect(attempts).toEqual([1, 2]);
      expect(await queue.counts('doomed')).toMatchObject({ failed: 1, completed: 0, active: 0, delayed: 0 });
      expect((await queue.enqueue('doomed', {}, { jobId: 'doomed-job' })).deduplicated).toBe(false);
      await eventually(async () => (await queue.counts('doomed')).failed === 2);
    });

    it('fails a job on its single default attempt', async () => {
      await work('single', async () => {
        throw new Error('no retry');
      });
      await queue.enqueue('single', {});
      await eventually(async () => (await queue.counts('single')).failed === 1);
      expect((await queue.counts('single')).completed).toBe(0);
    });

    it('lets a closed worker finish its job and take no more', async () => {
      const release = gate();
      const seen: unknown[] = [];
      let finished = false;
      const worker = await queue.work(
        'closing-worker',
        async (job) => {
          seen.push(job.data.index);
          await release.promise;
          finished = true;
        },
        { concurrency: 1 },
      );
      await queue.enqueue('closing-worker', { index: 1 });
      await eventually(() => seen.length === 1);
      const closing = worker.close();
      await sleep(50);
      expect(finished).toBe(false);
      release.open();
      await closing;
      expect(finished).toBe(true);
      await queue.enqueue('closing-worker', { index: 2 });
      await sleep(100);
      expect(seen).toEqual([1]);
      expect((await queue.counts('closing-worker')).waiting).toBe(1);
    });

    it('waits in close for the active job to finish', async () => {
      const release = gate();
      let started = false;
      let finished = false;
      await queue.work(
        'closing-queue',
        async () => {
          started = true;
          await release.promise;
          await sleep(20);
          finished = true;
        },
        { concurrency: 1 },
      );
      await queue.enqueue('closing-queue', {});
      await eventually(() => started);
      let closed = false;
      const closing = queue.close().then(() => {
        closed = true;
      });
      await sleep(50);
      expect(closed).toBe(false);
      release.open();
      await closing;
      expect(finished).toBe(true);
    });

    it('reports when its oldest waiting job became due, and null once none waits', async () => {
      expect(await queue.oldestWaitingSince('aging')).toBeNull();
      const beforeFirst = Date.now();
      await queue.enqueue('aging', { position: 1 });
      await sleep(30);
      const beforeSecond = Date.now();
      await queue.enqueue('aging', { position: 2 });
      const oldest = await queue.oldestWaitingSince('aging');
      expect(oldest).toBeGreaterThanOrEqual(beforeFirst - 1);
      expect(oldest).toBeLessThan(beforeSecond);
      await work('aging', async () => {});
      await eventually(async () => (await queue.oldestWaitingSince('aging')) === null);
    });

    it('rejects invalid queue names and options', async () => {
      await expect(queue.enqueue('has:colon', {})).rejects.toThrow(/queue name/);
      await expect(queue.enqueue('', {})).rejects.toThrow(/queue name/);
      await expect(queue.enqueue('valid', {}, { attempts: 0 })).rejects.toThrow(/attempts/);
      await expect(queue.enqueue('valid', {}, { delayMs: -1 })).rejects.toThrow(/delayMs/);
      await expect(queue.enqueue('valid', {}, { jobId: '' })).rejects.toThrow(/jobId/);
      await expect(queue.enqueue('valid', {}, { priority: 0 })).rejects.toThrow(/priority/);
      await expect(queue.enqueue('valid', {}, { priority: 1.5 })).rejects.toThrow(/priority/);
      await expect(queue.work('valid', async () => {}, { concurrency: 0 })).rejects.toThrow(/concurrency/);
    });
  });
}
