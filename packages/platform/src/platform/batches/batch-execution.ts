import { errors } from '../../errors/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { JobQueue, QueueWorker } from '../../storage/queue/index.ts';
import type { Clock } from '../../support/index.ts';
import { findApiKey } from '../../tenancy/index.ts';
import { lineRequestId } from './batch-identifiers.ts';
import {
  claimLine,
  countLines,
  finishedLines,
  recordLineResult,
  releaseLine,
  resetRunningLines,
  runnableLineIndexes,
  settlePendingLines,
} from './batch-line-repository.ts';
import { writeOutputFiles } from './batch-output-files.ts';
import type { BatchRecord } from './batch-record.ts';
import { endBatch, findBatch, findLiveBatches, markExpired } from './batch-repository.ts';
import { type LineRunnerDependencies, runBatchLine, settledResult } from './run-batch-line.ts';

/** The queue of batch lines; its jobs carry ids (organisation, batch, line index), never requests. */
export const batchLineQueue = 'batch-lines';

/**
 * Below every job enqueued without a priority (BullMQ and the memory queue run those first), so
 * bulk work never holds up the queue's interactive jobs.
 */
export const batchLinePriority = 1000;

export interface BatchExecutionSettings {
  /** Lines this process runs at once (read when the worker starts). */
  max_concurrency: number;
  /** Tries of a line that keeps hitting 429 or a retryable provider failure. */
  line_attempts: number;
  /** After this a running line whose runner went silent is taken again. */
  line_lease_ms: number;
  /** How often live batches are checked: expiry, lost jobs, an end still to write. */
  sweep_interval_ms: number;
}

export interface BatchExecutionDependencies extends LineRunnerDependencies {
  database: Database;
  jobQueue: JobQueue;
  clock: Clock;
  settings: () => BatchExecutionSettings;
  onError: (error: unknown, message: string) => void;
}

interface LineJob extends Record<string, unknown> {
  organizationId: string;
  batchId: string;
  lineIndex: number;
}

export interface BatchExecution {
  /** Enqueues lines of a batch (deduplicated per line while their job is live). */
  enqueueLines(organizationId: string, batchId: string, lineIndexes: readonly number[]): Promise<void>;
  /** The same without waiting: a failure is reported, and the sweep enqueues the lines later. */
  enqueueInBackground(organizationId: string, batchId: string, lineIndexes: readonly number[]): void;
  /** Writes the end of a batch whose lines have all settled; nothing when some remain. */
  finishIfSettled(organizationId: string, batchId: string): Promise<void>;
  /** Ends a batch's pending lines as cancelled; the in-flight ones finish, then the batch ends. */
  cancelPending(batch: BatchRecord): Promise<void>;
  /** Expires, re-enqueues and ends the live batches of every organisation. */
  sweep(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export function createBatchExecution(dependencies: BatchExecutionDependencies): BatchExecution {
  const { database, jobQueue, clock } = dependencies;
  const databaseOf = (organizationId: string) => database.forOrganization(organizationId);
  // why never aborted: a cancelled batch lets its in-flight lines finish, and closing waits for them.
  const neverAborts = new AbortController().signal;
  let worker: QueueWorker | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;
  const enqueuing = new Set<Promise<void>>();

  const enqueueLines: BatchExecution['enqueueLines'] = async (organizationId, batchId, lineIndexes) => {
    const attempts = dependencies.settings().line_attempts;
    for (const lineIndex of lineIndexes) {
      await jobQueue.enqueue<LineJob>(
        batchLineQueue,
        { organizationId, batchId, lineIndex },
        { jobId: `${batchId}.${lineIndex}`, priority: batchLinePriority, attempts, backoffMs: 1000 },
      );
    }
  };

  const finishIfSettled: BatchExecution['finishIfSettled'] = async (organizationId, batchId) => {
    await databaseOf(organizationId).transaction(async (transaction) => {
      const batch = await findBatch(transaction, organizationId, batchId, { forUpdate: true });
      if (!batch || !['in_progress', 'finalizing', 'cancelling'].includes(batch.status)) return;
      const counts = await countLines(transaction, batchId);
      if (counts.pending + counts.running > 0) return;
      const now = clock.now();
      const status =
        batch.status === 'cancelling' ? 'cancelled' : batch.expiredAt !== null ? 'expired' : 'completed';
      const files =
        batch.format === 'openai'
          ? await writeOutputFiles(transaction, batch, await finishedLines(transaction, batchId), now)
          : { outputFileId: null, errorFileId: null };
      await endBatch(transaction, batchId, { status, now, ...files });
    });
  };

  const expire = async (batch: BatchRecord) => {
    const scoped = databaseOf(batch.organizationId);
    const now = clock.now();
    await markExpired(scoped, batch.id, now);
    await settlePendingLines(
      scoped,
      batch.id,
      'expired',
      (customId) => settledResult(batch.format, customId, 'expired'),
      now,
    );
    await finishIfSettled(batch.organizationId, batch.id);
  };

  /**
   * A key revoked or expired after its batch started stops its lines (each fails with the 401 the
   * key would get now); sessions and workload tokens are checked when the batch is created only.
   */
  const checkKey = async (caller: BatchRecord['caller']) => {
    if (caller.principal !== 'api_key') return;
    const key = await findApiKey(databaseOf(caller.organizationId), caller.organizationId, caller.apiKeyId);
    if (key === null || key.revokedAt !== null) throw errors.apiKeyRevoked();
    if (key.expiresAt !== null && key.expiresAt.getTime() <= clock.now())
      throw errors.apiKeyExpired(key.expiresAt);
  };

  const runLine = async (job: LineJob, attempt: number) => {
    const { organizationId, batchId, lineIndex } = job;
    const scoped = databaseOf(organizationId);
    const batch = await findBatch(scoped, organizationId, batchId);
    if (!batch) return;
    if (batch.status === 'in_progress' && clock.now() >= batch.expiresAt) {
      await expire(batch);
      return;
    }
    if (batch.status !== 'in_progress') {
      await finishIfSettled(organizationId, batchId);
      return;
    }
    const settings = dependencies.settings();
    const line = await claimLine(scoped, batchId, lineIndex, clock.now(), settings.line_lease_ms);
    if (!line) return;
    const requestId = lineRequestId(batchId, lineIndex);
    const outcome = await runBatchLine(
      { ...dependencies, checkCaller: (caller) => checkKey(caller) },
      {
        format: batch.format,
        endpoint: batch.endpoint,
        customId: line.customId,
        body: line.request,
        caller: batch.caller,
        requestId,
        signal: neverAborts,
      },
    );
    if (outcome.retryable && attempt < settings.line_attempts) {
      await releaseLine(scoped, batchId, lineIndex);
      throw outcome.retryable;
    }
    await recordLineResult(
      scoped,
      batchId,
      lineIndex,
      {
        status: outcome.status,
        statusCode: outcome.statusCode,
        requestId,
        result: outcome.result,
        served: outcome.served,
      },
      clock.now(),
    );
    await finishIfSettled(organizationId, batchId);
  };

  /**
   * `always` re-enqueues the runnable lines of every live batch (at start-up: a memory queue lost
   * its jobs with its process). The periodic sweep does it only when the queue holds no batch
   * line at all, the one sign that jobs were lost (an enqueue that failed), so a large batch is not
   * enqueued again every interval.
   */
  const sweepOnce = async (resume: 'always' | 'when-idle') => {
    const counts = resume === 'when-idle' ? await jobQueue.counts(batchLineQueue) : null;
    const queueIdle = counts === null || counts.waiting + counts.active + counts.delayed === 0;
    const live = await findLiveBatches(database.forPlatform('batches with work left'), 500);
    for (const { id, organizationId } of live) {
      try {
        const batch = await findBatch(databaseOf(organizationId), organizationId, id);
        if (!batch) continue;
        if (batch.status === 'in_progress' && clock.now() >= batch.expiresAt) {
          await expire(batch);
          continue;
        }
        if (batch.status === 'in_progress' && queueIdle) {
          const settings = dependencies.settings();
          const runnable = await runnableLineIndexes(
            databaseOf(organizationId),
            id,
            clock.now(),
            settings.line_lease_ms,
          );
          await enqueueLines(organizationId, id, runnable);
        }
        await finishIfSettled(organizationId, id);
      } catch (error) {
        dependencies.onError(error, `sweeping batch ${id} failed`);
      }
    }
  };

  const sweep = (resume: 'always' | 'when-idle' = 'always') => {
    sweeping ??= sweepOnce(resume).finally(() => {
      sweeping = null;
    });
    return sweeping;
  };

  return {
    enqueueLines,

    enqueueInBackground(organizationId, batchId, lineIndexes) {
      const enqueued = enqueueLines(organizationId, batchId, lineIndexes)
        .catch((error: unknown) =>
          dependencies.onError(error, `enqueueing the lines of batch ${batchId} failed`),
        )
        .finally(() => enqueuing.delete(enqueued));
      enqueuing.add(enqueued);
    },
    finishIfSettled,

    async cancelPending(batch) {
      await settlePendingLines(
        databaseOf(batch.organizationId),
        batch.id,
        'canceled',
        (customId) => settledResult(batch.format, customId, 'canceled'),
        clock.now(),
      );
      await finishIfSettled(batch.organizationId, batch.id);
    },

    sweep: () => sweep(),

    async startWorker() {
      if (worker !== null) return;
      const settings = dependencies.settings();
      if (database.singleProcess) {
        // why: the embedded store belongs to this process, so a running line is a dead process's.
        await resetRunningLines(database.forPlatform('batch lines of a previous process'));
      }
      worker = await jobQueue.work<LineJob>(batchLineQueue, (job) => runLine(job.data, job.attempt), {
        concurrency: settings.max_concurrency,
        leaseMs: settings.line_lease_ms,
      });
      await sweep().catch((error: unknown) => dependencies.onError(error, 'batch sweep failed'));
      sweeper = setInterval(() => {
        sweep('when-idle').catch((error: unknown) => dependencies.onError(error, 'batch sweep failed'));
      }, settings.sweep_interval_ms);
      sweeper.unref();
    },

    async close() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      await sweeping?.catch(() => {});
      await Promise.all([...enqueuing]);
      // why: closing the worker waits for the lines in flight, so each writes its result first.
      await worker?.close();
      worker = null;
    },
  };
}
