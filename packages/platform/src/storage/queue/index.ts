import { createBullmqJobQueue } from './bullmq-job-queue.ts';
import type { JobQueue } from './job-queue.ts';
import { createMemoryJobQueue } from './memory-job-queue.ts';

export { type BullmqJobQueueOptions, createBullmqJobQueue } from './bullmq-job-queue.ts';
export type {
  EnqueueOptions,
  Job,
  JobData,
  JobQueue,
  QueueCounts,
  QueueWorker,
  WorkOptions,
} from './job-queue.ts';
export { createMemoryJobQueue, type MemoryJobQueueOptions } from './memory-job-queue.ts';

export interface JobQueueOptions {
  /** Redis to use (BullMQ); without it jobs run in this process. */
  redisUrl?: string;
  /** Start of every BullMQ Redis key; default `kimi`. */
  prefix?: string;
}

/** Picks BullMQ when a Redis URL is configured and the in-process pool otherwise. */
export function createJobQueue(options: JobQueueOptions = {}): JobQueue {
  if (options.redisUrl) return createBullmqJobQueue({ url: options.redisUrl, prefix: options.prefix });
  return createMemoryJobQueue();
}
