import type { EnqueueOptions, WorkOptions } from './job-queue.ts';

/*
 * Argument checks and defaults shared by every job-queue backend, so both accept and refuse the
 * same calls.
 */

/** Enqueue options with every default applied. */
export interface ResolvedEnqueueOptions {
  jobId: string | undefined;
  delayMs: number;
  attempts: number;
  backoffMs: number;
  priority: number | undefined;
}

/** BullMQ's lowest priority (2^21); the memory queue accepts the same range. */
export const lowestPriority = 2_097_152;

const queueNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Throws unless `queue` is 1–100 letters, digits, `.`, `_` or `-`. why: BullMQ forbids `:` in
 * queue names (it separates Redis key parts), and names also appear in metrics and dashboards.
 */
export function assertQueueName(queue: string): void {
  if (!queueNamePattern.test(queue)) {
    throw new Error(
      `queue name must be 1-100 letters, digits, ".", "_" or "-" and start with a letter or digit, got "${queue}"`,
    );
  }
}

/** Applies defaults (no delay, 1 attempt, 1000 ms backoff, no priority) and rejects impossible values. */
export function resolveEnqueueOptions(options: EnqueueOptions = {}): ResolvedEnqueueOptions {
  const { jobId, delayMs = 0, attempts = 1, backoffMs = 1000, priority } = options;
  if (jobId !== undefined && jobId.length === 0) throw new Error('jobId must not be empty');
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new Error(`delayMs must be a non-negative number, got ${delayMs}`);
  }
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new Error(`attempts must be a positive integer, got ${attempts}`);
  }
  if (!Number.isFinite(backoffMs) || backoffMs < 0) {
    throw new Error(`backoffMs must be a non-negative number, got ${backoffMs}`);
  }
  if (
    priority !== undefined &&
    (!Number.isSafeInteger(priority) || priority < 1 || priority > lowestPriority)
  ) {
    throw new Error(`priority must be an integer from 1 to ${lowestPriority}, got ${priority}`);
  }
  return { jobId, delayMs: Math.ceil(delayMs), attempts, backoffMs: Math.ceil(backoffMs), priority };
}

/** Default lease when a worker does not name one. */
export const defaultLeaseMs = 30_000;

/** Throws unless concurrency is a positive integer and the lease, if given, a positive number. */
export function assertWorkOptions(options: WorkOptions): void {
  if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1) {
    throw new Error(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  if (options.leaseMs !== undefined && (!Number.isFinite(options.leaseMs) || options.leaseMs <= 0)) {
    throw new Error(`leaseMs must be a positive number, got ${options.leaseMs}`);
  }
}

/** Delay before the try after `failedAttempt` (1-based): `backoffMs * 2^(failedAttempt-1)`. */
export function backoffDelay(backoffMs: number, failedAttempt: number): number {
  return backoffMs * 2 ** (failedAttempt - 1);
}
