import { errors, isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { EmbeddingGateway } from '../../gateway/index.ts';
import type { AuditLog } from '../../identity/audit/index.ts';
import type { PlanDefinition } from '../../metering/plans/index.ts';
import { findKnowledgeBase, type KnowledgeBaseRecord } from '../../rag/index.ts';
import type { Database, Queryable } from '../../storage/db/index.ts';
import type { EventBus } from '../../storage/pubsub/index.ts';
import type { JobQueue } from '../../storage/queue/index.ts';
import type { VectorStore } from '../../storage/vectors/index.ts';
import type { Clock, Tokenizer } from '../../support/index.ts';
import type { Tracing } from '../../telemetry/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';

export interface KnowledgeServiceDependencies {
  /** The isolated handle: each call narrows it to the caller's organisation. */
  database: Database;
  store: VectorStore;
  /** The gateway's embeddings (admitted, metered, billed to the caller's organisation). */
  embeddings: EmbeddingGateway;
  tokenizer: Tokenizer;
  clock: Clock;
  /** Knowledge base changes write their entries here, in the change's transaction. */
  audit: AuditLog;
  /** Ingestion jobs (one per document) go on this queue. */
  jobQueue: JobQueue;
  /** Document events are announced here, so streams on any replica read them at once. */
  eventBus: EventBus;
  /** The plan of an id (its knowledge limits), or undefined. */
  plan: (planId: string) => PlanDefinition | undefined;
  /** Tuning of the ingestion worker; defaults in {@link defaultIngestionSettings}. */
  ingestion?: Partial<KnowledgeIngestionSettings>;
  /** Background failures (a sweep, an enqueue) that have no request to answer. */
  onError?: (error: unknown, message: string) => void;
  /** Told of each document whose ingestion ended (metrics): its outcome, chunks stored, seconds the job took. */
  onIngestionEnded?: (outcome: 'ready' | 'failed', chunks: number, seconds: number) => void;
  /** Spans for ingestion jobs; each job carries the trace context of the upload that queued it. */
  tracing?: Tracing;
}

export interface KnowledgeIngestionSettings {
  /** Tries of a document whose embedding keeps failing transiently (429, 5xx), the first included. */
  attempts: number;
  /** Base of the exponential backoff between those tries. */
  backoffMs: number;
  /**
   * Documents this process ingests at once. Most of a small document's time is the store's, so
   * many at once keep the embedding calls full (they share calls) and the store busy.
   */
  concurrency: number;
  /** How long a worker holds a job before another may take it (BullMQ renews it while the job runs). */
  leaseMs: number;
  /** How long an embedding request waits for others to share its call. */
  lingerMs: number;
  /** How often documents left queued (a lost job) are enqueued again, when the queue is idle. */
  sweepIntervalMs: number;
  /** A document taken this many times (its workers died each time) fails instead of being taken again. */
  maximumTakes: number;
}

export const defaultIngestionSettings: KnowledgeIngestionSettings = {
  attempts: 5,
  backoffMs: 2000,
  concurrency: 32,
  leaseMs: 30_000,
  lingerMs: 5,
  sweepIntervalMs: 60_000,
  maximumTakes: 10,
};

/** The HTTP request a service call serves: embedding calls are metered under its id. */
export interface KnowledgeCall {
  requestId: string;
  startedAt: number;
  signal: AbortSignal;
}

export function knowledgeBaseNotFound(id: string): PlatformError {
  return errors.notFound(`The knowledge base '${id}'`, null);
}

export async function existingKnowledgeBase(
  database: Queryable,
  caller: AuthContext,
  id: string,
): Promise<KnowledgeBaseRecord> {
  const record = await findKnowledgeBase(database, caller.organizationId, id);
  if (!record) throw knowledgeBaseNotFound(id);
  return record;
}

/**
 * Embeds texts with the knowledge base's model through the gateway, as the caller. `requestId`
 * must be unique per call (the usage ledger keys records by it).
 */
export async function embedTexts(
  dependencies: KnowledgeServiceDependencies,
  caller: AuthContext,
  call: KnowledgeCall,
  model: string,
  input: string[],
  requestId: string,
): Promise<number[][]> {
  const outcome = await dependencies.embeddings.embed({
    context: caller,
    requestId,
    startedAt: call.startedAt,
    modelName: model,
    input,
    signal: call.signal,
  });
  return outcome.result.embeddings.map((vector) => [...vector]);
}

/** Refuses a model the gateway cannot embed with for this caller, naming `embedding_model`. */
export function checkEmbeddingModel(
  dependencies: KnowledgeServiceDependencies,
  caller: AuthContext,
  call: KnowledgeCall,
  model: string,
): void {
  try {
    dependencies.embeddings.quote({
      context: caller,
      requestId: call.requestId,
      startedAt: call.startedAt,
      modelName: model,
      input: ['probe'],
      signal: call.signal,
    });
  } catch (error) {
    if (isPlatformError(error) && (error.status === 400 || error.status === 404)) {
      throw errors.invalidRequest(
        'embedding_model',
        `Invalid value for 'embedding_model': ${error.message}`,
        "Use an embedding model listed by GET /v1/models, such as 'sim/embed'.",
      );
    }
    throw error;
  }
}
