export type JobData = Record<string, unknown>;

export interface EnqueueOptions {
  /** A job with an id already waiting, delayed or active is not added again. */
  jobId?: string;
  delayMs?: number;
  /** Total tries including the first; default 1. */
  attempts?: number;
  /** Base delay of exponential backoff between attempts; default 1000. */
  backoffMs?: number;
  /**
   * 1 (highest) to 2,097,152 (lowest), as in BullMQ: jobs without a priority run first, then
   * prioritised ones by ascending number, first in, first out within one number. Background bulk
   * work (batch lines) sets one so that it never delays the queue's other jobs.
   */
  priority?: number;
}

export interface Job<Data extends JobData = JobData> {
  id: string;
  queue: string;
  data: Data;
  /** 1 on the first try. */
  attempt: number;
}

export interface WorkOptions {
  /** Jobs this worker runs at once. */
  concurrency: number;
  /** How long a worker holds a job before another may take it, unless it is renewed. */
  leaseMs?: number;
}

export interface QueueWorker {
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** The job queue port: an in-process pool embedded, BullMQ on Redis scaled out. */
export interface JobQueue {
  readonly backend: 'memory' | 'bullmq';
  enqueue<Data extends JobData>(
    queue: string,
    data: Data,
    options?: EnqueueOptions,
  ): Promise<{ id: string; deduplicated: boolean }>;
  /** Runs `handler` for each job; a throw fails the attempt (retried while attempts remain). */
  work<Data extends JobData>(
    queue: string,
    handler: (job: Job<Data>) => Promise<void>,
    options: WorkOptions,
  ): Promise<QueueWorker>;
  counts(queue: string): Promise<QueueCounts>;
  /**
   * When the oldest job waiting to run became due (its enqueue time plus its delay; retries keep
   * it), in ms since the epoch; null when none waits. For the queue-age metric. On BullMQ, the
   * first job of the unprioritised list and of the prioritised set are compared.
   */
  oldestWaitingSince(queue: string): Promise<number | null>;
  close(): Promise<void>;
}
