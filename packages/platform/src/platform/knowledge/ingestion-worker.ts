import { createEmbeddingCoalescer, pendingDocuments } from '../../rag/index.ts';
import type { QueueWorker } from '../../storage/queue/index.ts';
import { SpanKind } from '../../telemetry/index.ts';
import { type AuthContext, randomBase62 } from '../../tenancy/index.ts';
import { type IngestionJob, ingestionQueue, runIngestionJob } from './ingestion-job.ts';
import {
  defaultIngestionSettings,
  embedTexts,
  type KnowledgeIngestionSettings,
  type KnowledgeServiceDependencies,
} from './knowledge-dependencies.ts';

export interface IngestionWorker {
  /** Enqueues one job per document (deduplicated while a document's job is live). */
  enqueue(organizationId: string, documentIds: readonly string[]): Promise<void>;
  /** Starts taking jobs, after enqueueing every document left queued or processing by a previous process. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

/**
 * The ingestion worker: consumes the ingestion queue with the settings' concurrency, embedding
 * through one coalescer so concurrent small documents share gateway calls. A sweep at start (and
 * periodically while the queue is idle) enqueues the documents still queued or processing: a
 * memory queue loses its jobs with its process, and an enqueue may have failed after the upload
 * committed. Enqueueing is deduplicated by document id, so a live job is never doubled.
 */
export function createIngestionWorker(dependencies: KnowledgeServiceDependencies): IngestionWorker {
  const settings: KnowledgeIngestionSettings = { ...defaultIngestionSettings, ...dependencies.ingestion };
  const { jobQueue } = dependencies;
  // why never aborted: a job the worker took runs to its next durable point; closing waits for it.
  const neverAborts = new AbortController().signal;
  const coalescer = createEmbeddingCoalescer<AuthContext>({
    lingerMs: settings.lingerMs,
    sharedRequestId: () => `kemb_${randomBase62(24)}`,
    call: (caller, model, texts, requestId) =>
      embedTexts(
        dependencies,
        caller,
        { requestId, startedAt: performance.now(), signal: neverAborts },
        model,
        texts,
        requestId,
      ),
  });
  let worker: QueueWorker | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;

  const enqueue: IngestionWorker['enqueue'] = async (organizationId, documentIds) => {
    for (const documentId of documentIds) {
      await jobQueue.enqueue<IngestionJob>(
        ingestionQueue,
        { organizationId, documentId, ...dependencies.tracing?.inject({}) },
        { jobId: documentId, attempts: settings.attempts, backoffMs: settings.backoffMs },
      );
    }
  };

  const sweepOnce = async (always: boolean) => {
    if (!always) {
      const counts = await jobQueue.counts(ingestionQueue);
      if (counts.waiting + counts.active + counts.delayed > 0) return;
    }
    const pending = await pendingDocuments(
      dependencies.database.forPlatform('knowledge documents left to ingest'),
      10_000,
    );
    for (const document of pending) await enqueue(document.organizationId, [document.documentId]);
  };
  const sweep = (always: boolean) => {
    sweeping ??= sweepOnce(always)
      .catch((error: unknown) => dependencies.onError?.(error, 'knowledge ingestion sweep failed'))
      .finally(() => {
        sweeping = null;
      });
    return sweeping;
  };

  return {
    enqueue,
    async start() {
      if (worker !== null) return;
      worker = await jobQueue.work<IngestionJob>(
        ingestionQueue,
        (job) => {
          const run = () => runIngestionJob({ ...dependencies, coalescer, settings }, job.data, job.attempt);
          const tracing = dependencies.tracing;
          if (!tracing) return run();
          return tracing.inSpan(
            'knowledge ingestion',
            {
              kind: SpanKind.CONSUMER,
              parent: tracing.extract({ traceparent: job.data.traceparent, tracestate: job.data.tracestate }),
              attributes: {
                'kimi.organization.id': job.data.organizationId,
                'kimi.knowledge.document_id': job.data.documentId,
                'kimi.attempt': job.attempt,
                'messaging.destination.name': ingestionQueue,
              },
            },
            run,
          );
        },
        { concurrency: settings.concurrency, leaseMs: settings.leaseMs },
      );
      await sweep(true);
      sweeper = setInterval(() => void sweep(false), settings.sweepIntervalMs);
      sweeper.unref();
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      await sweeping;
      coalescer.flush();
      await worker?.close();
      worker = null;
    },
  };
}
