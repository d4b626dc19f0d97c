import { randomUUID } from 'node:crypto';
import { assertQueueName, assertWorkOptions, backoffDelay, resolveEnqueueOptions } from './job-arguments.ts';
import type { Job, JobData, JobQueue, QueueCounts, QueueWorker } from './job-queue.ts';
import { WaitingJobs } from './waiting-jobs.ts';

export interface MemoryJobQueueOptions {
  /** Told about every failed attempt, including the ones that will be retried. */
  onAttemptFailed?: (job: Job, error: unknown) => void;
}

interface PendingJob {
  id: string;
  /** Data is kept as JSON, so every attempt gets a fresh copy, as from Redis. */
  serializedData: string;
  attempt: number;
  attempts: number;
  backoffMs: number;
  priority: number | undefined;
  /** Enqueue time plus the first delay, in ms since the epoch (as BullMQ's timestamp plus delay). */
  dueAt: number;
}

interface LocalWorker {
  handler: (job: Job) => Promise<void>;
  concurrency: number;
  running: number;
  onIdle: Array<() => void>;
}

interface QueueState {
  name: string;
  waiting: WaitingJobs<PendingJob>;
  delayed: Map<PendingJob, NodeJS.Timeout>;
  active: number;
  completed: number;
  failed: number;
  workers: LocalWorker[];
  /** Ids of jobs waiting, delayed or active: the ones an enqueue with the same id deduplicates to. */
  liveIds: Set<string>;
  dispatchScheduled: boolean;
}

/**
 * The embedded job queue: a worker pool in this process. Jobs run first in, first out per queue (jobs without a priority before prioritised ones, as in BullMQ),
 * within each worker's concurrency, with delays and exponential backoff on unref'd timers. Jobs
 * live in memory only; a lease (`leaseMs`) has no meaning here, as no other process can take over.
 */
export function createMemoryJobQueue(options: MemoryJobQueueOptions = {}): JobQueue {
  const queues = new Map<string, QueueState>();
  let closed = false;

  const stateOf = (name: string): QueueState => {
    let state = queues.get(name);
    if (state === undefined) {
      state = {
        name,
        waiting: new WaitingJobs(),
        delayed: new Map(),
        active: 0,
        completed: 0,
        failed: 0,
        workers: [],
        liveIds: new Set(),
        dispatchScheduled: false,
      };
      queues.set(name, state);
    }
    return state;
  };

  const dispatch = (state: QueueState) => {
    while (state.waiting.size > 0) {
      const worker = state.workers.find((candidate) => candidate.running < candidate.concurrency);
      if (worker === undefined) return;
      const job = state.waiting.shift()!;
      void run(state, worker, job);
    }
  };

  // why: dispatching in a microtask means a handler never runs inside the enqueue or work call.
  const scheduleDispatch = (state: QueueState) => {
    if (state.dispatchScheduled) return;
    state.dispatchScheduled = true;
    queueMicrotask(() => {
      state.dispatchScheduled = false;
      if (!closed) dispatch(state);
    });
  };

  const makeReady = (state: QueueState, job: PendingJob, delayMs: number) => {
    if (delayMs <= 0) {
      state.waiting.push(job, job.priority);
      scheduleDispatch(state);
      return;
    }
    const readyAt = Date.now() + delayMs;
    const arm = (waitMs: number) => {
      const timer = setTimeout(() => {
        // why: libuv's timer clock may run up to a millisecond ahead of Date.now(); never start early.
        const remaining = readyAt - Date.now();
        if (remaining > 0) {
          arm(remaining);
          return;
        }
        state.delayed.delete(job);
        state.waiting.push(job, job.priority);
        scheduleDispatch(state);
      }, waitMs);
      // why: an in-memory delayed job dies with the process anyway; it must not keep it alive.
      timer.unref();
      state.delayed.set(job, timer);
    };
    arm(delayMs);
  };

  const run = async (state: QueueState, worker: LocalWorker, job: PendingJob) => {
    worker.running += 1;
    state.active += 1;
    const view: Job = {
      id: job.id,
      queue: state.name,
      data: JSON.parse(job.serializedData),
      attempt: job.attempt,
    };
    let failure: { error: unknown } | undefined;
    try {
      await worker.handler(view);
    } catch (error) {
      failure = { error };
    }
    worker.running -= 1;
    state.active -= 1;
    if (failure === undefined) {
      state.completed += 1;
      state.liveIds.delete(job.id);
    } else {
      try {
        options.onAttemptFailed?.(view, failure.error);
      } catch {
        // why: a faulty reporter must not leave the job half settled, neither retried nor failed.
      }
      if (job.attempt < job.attempts && !closed) {
        const delayMs = backoffDelay(job.backoffMs, job.attempt);
        job.attempt += 1;
        makeReady(state, job, delayMs);
      } else {
        state.failed += 1;
        state.liveIds.delete(job.id);
      }
    }
    if (worker.running === 0) {
      for (const resolve of worker.onIdle.splice(0)) resolve();
    }
    if (!closed) dispatch(state);
  };

  const closeWorker = async (state: QueueState, worker: LocalWorker) => {
    state.workers = state.workers.filter((candidate) => candidate !== worker);
    if (worker.running === 0) return;
    await new Promise<void>((resolve) => worker.onIdle.push(resolve));
  };

  const assertOpen = () => {
    if (closed) throw new Error('job queue is closed');
  };

  return {
    backend: 'memory',

    async enqueue(queue, data, enqueueOptions) {
      assertOpen();
      assertQueueName(queue);
      const resolved = resolveEnqueueOptions(enqueueOptions);
      const state = stateOf(queue);
      if (resolved.jobId !== undefined && state.liveIds.has(resolved.jobId)) {
        return { id: resolved.jobId, deduplicated: true };
      }
      const id = resolved.jobId ?? randomUUID();
      const job: PendingJob = {
        id,
        serializedData: JSON.stringify(data),
        attempt: 1,
        attempts: resolved.attempts,
        backoffMs: resolved.backoffMs,
        priority: resolved.priority,
        dueAt: Date.now() + resolved.delayMs,
      };
      state.liveIds.add(id);
      makeReady(state, job, resolved.delayMs);
      return { id, deduplicated: false };
    },

    async work<Data extends JobData>(
      queue: string,
      handler: (job: Job<Data>) => Promise<void>,
      workOptions: { concurrency: number; leaseMs?: number },
    ): Promise<QueueWorker> {
      assertOpen();
      assertQueueName(queue);
      assertWorkOptions(workOptions);
      const state = stateOf(queue);
      const worker: LocalWorker = {
        handler: (job) => handler(job as Job<Data>),
        concurrency: workOptions.concurrency,
        running: 0,
        onIdle: [],
      };
      state.workers.push(worker);
      scheduleDispatch(state);
      return { close: () => closeWorker(state, worker) };
    },

    async counts(queue): Promise<QueueCounts> {
      assertQueueName(queue);
      const state = queues.get(queue);
      if (state === undefined) return { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      return {
        waiting: state.waiting.size,
        active: state.active,
        delayed: state.delayed.size,
        failed: state.failed,
        completed: state.completed,
      };
    },

    async oldestWaitingSince(queue) {
      assertQueueName(queue);
      return queues.get(queue)?.waiting.earliest((job) => job.dueAt) ?? null;
    },

    async close() {
      if (closed) return;
      closed = true;
      const states = [...queues.values()];
      await Promise.all(states.flatMap((state) => state.workers.map((worker) => closeWorker(state, worker))));
      for (const state of states) {
        for (const timer of state.delayed.values()) clearTimeout(timer);
        state.delayed.clear();
        state.waiting.clear();
      }
    },
  };
}
