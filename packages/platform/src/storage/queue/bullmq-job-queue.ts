import { randomUUID } from 'node:crypto';
import { type Job as BullmqJob, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { closeRedisClient, createFailFastRedisClient } from '../redis/index.ts';
import {
  assertQueueName,
  assertWorkOptions,
  defaultLeaseMs,
  resolveEnqueueOptions,
} from './job-arguments.ts';
import type { Job, JobData, JobQueue, QueueCounts, QueueWorker, WorkOptions } from './job-queue.ts';

export interface BullmqJobQueueOptions {
  url: string;
  /** Start of every Redis key of every queue; default `kimi`. */
  prefix?: string;
  /** Completed and failed jobs each kept per queue for inspection; older ones are removed. Default 1000. */
  keepFinishedJobs?: number;
  /** Bound on waiting for Redis when enqueueing or counting. Default 1000 ms. */
  timeoutMs?: number;
  /** Told about every failed attempt, including the ones that will be retried. */
  onAttemptFailed?: (job: Job, error: unknown) => void;
  /** Receives connection and worker errors. */
  onError?: (error: Error) => void;
}

/**
 * The scaled-out job queue on BullMQ: any number of processes enqueue and work on the same
 * queues. A worker holds each job under a lease (`leaseMs`, BullMQ's lock) that it renews while
 * the handler runs; when its process dies, the stalled-job check of any live worker puts the job
 * back about one to two leases later, so work is at-least-once. A job whose worker dies a second
 * time is failed instead (BullMQ's `maxStalledCount` of 1), so a job that kills its worker cannot
 * take down every worker in turn.
 *
 * Job ids: BullMQ ids may not contain `:`, and a BullMQ id stays taken while its finished job is
 * retained, so a caller's `jobId` is never used as the BullMQ id. Every job gets a random UUID as
 * its BullMQ id, and the caller's id becomes the BullMQ deduplication id, which BullMQ holds exactly
 * while the job is waiting, delayed or active. Handlers see the caller's id.
 *
 * Enqueueing and counting fail within `timeoutMs` while Redis is unreachable; workers instead
 * wait for Redis and resume on their own (BullMQ requires `maxRetriesPerRequest: null` for them).
 */
export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  const prefix = options.prefix ?? 'kimi';
  const keepFinishedJobs = options.keepFinishedJobs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 1000;
  const onError = options.onError ?? (() => {});
  const queues = new Map<string, Queue>();
  const workers = new Set<Worker>();
  let producerConnection: Redis | undefined;
  let closed = false;

  const queueFor = (name: string): Queue => {
    let queue = queues.get(name);
    if (queue === undefined) {
      // why: every queue shares one fail-fast connection, so enqueueing during an outage rejects
      // instead of waiting for Redis the way worker connections must.
      producerConnection ??= createFailFastRedisClient({ url: options.url, timeoutMs, onError });
      queue = new Queue(name, { connection: producerConnection, prefix });
      queue.on('error', onError);
      queues.set(name, queue);
    }
    return queue;
  };

  const readyQueue = async (name: string): Promise<Queue> => {
    if (closed) throw new Error('job queue is closed');
    assertQueueName(name);
    const queue = queueFor(name);
    await withinTimeout(queue.waitUntilReady(), timeoutMs, `Redis did not answer within ${timeoutMs} ms`);
    return queue;
  };

  return {
    backend: 'bullmq',

    async enqueue(name, data, enqueueOptions) {
      const resolved = resolveEnqueueOptions(enqueueOptions);
      const queue = await readyQueue(name);
      const bullmqId = randomUUID();
      const added = await queue.add(name, data, {
        jobId: bullmqId,
        delay: resolved.delayMs,
        attempts: resolved.attempts,
        backoff: { type: 'exponential', delay: resolved.backoffMs },
        ...(resolved.priority === undefined ? {} : { priority: resolved.priority }),
        ...(resolved.jobId === undefined ? {} : { deduplication: { id: resolved.jobId } }),
        removeOnComplete: { count: keepFinishedJobs },
        removeOnFail: { count: keepFinishedJobs },
      });
      return { id: resolved.jobId ?? bullmqId, deduplicated: added.id !== bullmqId };
    },

    async work<Data extends JobData>(
      name: string,
      handler: (job: Job<Data>) => Promise<void>,
      workOptions: WorkOptions,
    ): Promise<QueueWorker> {
      if (closed) throw new Error('job queue is closed');
      assertQueueName(name);
      assertWorkOptions(workOptions);
      const leaseMs = Math.ceil(workOptions.leaseMs ?? defaultLeaseMs);
      const processor = async (bullmqJob: BullmqJob<Data>) => {
        const job: Job<Data> = {
          id: bullmqJob.deduplicationId ?? bullmqJob.id ?? '',
          queue: name,
          data: bullmqJob.data,
          attempt: bullmqJob.attemptsMade + 1,
        };
        try {
          await handler(job);
        } catch (error) {
          try {
            options.onAttemptFailed?.(job, error);
          } catch {
            // why: the handler's error, not the reporter's, is what the job failed with.
          }
          throw error;
        }
      };
      const worker = new Worker<Data>(name, processor, {
        connection: { url: options.url, maxRetriesPerRequest: null },
        prefix,
        concurrency: workOptions.concurrency,
        lockDuration: leaseMs,
        // why: a stalled job is put back by the second check after its lock lapsed (the first only
        // marks it), and checks are shared by all workers; checking twice per lease bounds the wait
        // after a worker dies to about two leases while keeping the check cheap.
        stalledInterval: Math.max(1, Math.ceil(leaseMs / 2)),
      });
      worker.on('error', onError);
      workers.add(worker);
      await worker.waitUntilReady();
      return {
        async close() {
          workers.delete(worker);
          await worker.close();
        },
      };
    },

    async counts(name): Promise<QueueCounts> {
      const queue = await readyQueue(name);
      const counts = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'failed',
        'completed',
      );
      const count = (state: string) => counts[state] ?? 0;
      return {
        waiting: count('waiting') + count('paused') + count('prioritized'),
        active: count('active'),
        delayed: count('delayed'),
        failed: count('failed'),
        completed: count('completed'),
      };
    },

    async oldestWaitingSince(name) {
      const queue = await readyQueue(name);
      const [waiting, prioritized] = await Promise.all([
        queue.getJobs(['wait'], 0, 0, true),
        queue.getJobs(['prioritized'], 0, 0, true),
      ]);
      const due = [...waiting, ...prioritized].map((job) => job.timestamp + (job.delay ?? 0));
      return due.length === 0 ? null : Math.min(...due);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...workers].map((worker) => worker.close()));
      workers.clear();
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
      if (producerConnection !== undefined) await closeRedisClient(producerConnection);
    },
  };
}

/** Resolves or rejects as `promise` does, or rejects with `message` after `timeoutMs`. */
async function withinTimeout<Value>(
  promise: Promise<Value>,
  timeoutMs: number,
  message: string,
): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
