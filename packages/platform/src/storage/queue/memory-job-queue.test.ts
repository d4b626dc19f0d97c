import { describe, expect, it } from 'vitest';
import { runJobQueueContract } from './job-queue.contract.ts';
import { createMemoryJobQueue } from './memory-job-queue.ts';

runJobQueueContract('memory', async () => {
  const queue = createMemoryJobQueue();
  return { queue, cleanup: () => queue.close() };
});

describe('memory job queue', () => {
  it('reports every failed attempt', async () => {
    const failures: Array<[string, number, string]> = [];
    const queue = createMemoryJobQueue({
      onAttemptFailed: (job, error) => failures.push([job.id, job.attempt, (error as Error).message]),
    });
    await queue.work(
      'reported',
      async () => {
        throw new Error('broken');
      },
      { concurrency: 1 },
    );
    await queue.enqueue('reported', {}, { jobId: 'job-1', attempts: 2, backoffMs: 1 });
    await expect.poll(async () => (await queue.counts('reported')).failed).toBe(1);
    expect(failures).toEqual([
      ['job-1', 1, 'broken'],
      ['job-1', 2, 'broken'],
    ]);
    await queue.close();
  });

  it('gives each attempt its own copy of the data', async () => {
    const queue = createMemoryJobQueue();
    const data = { items: [1] };
    const seen: unknown[] = [];
    await queue.work(
      'copies',
      async (job) => {
        seen.push(structuredClone(job.data));
        (job.data.items as number[]).push(99);
        if (job.attempt === 1) throw new Error('retry');
      },
      { concurrency: 1 },
    );
    await queue.enqueue('copies', data, { attempts: 2, backoffMs: 1 });
    data.items.push(2);
    await expect.poll(async () => (await queue.counts('copies')).completed).toBe(1);
    expect(seen).toEqual([{ items: [1] }, { items: [1] }]);
    await queue.close();
  });

  it('rejects calls after close', async () => {
    const queue = createMemoryJobQueue();
    await queue.close();
    await expect(queue.enqueue('closed', {})).rejects.toThrow(/closed/);
    await expect(queue.work('closed', async () => {}, { concurrency: 1 })).rejects.toThrow(/closed/);
  });
});
