import { errors, isPlatformError, PlatformError } from '../../errors/index.ts';
import {
  appendDocumentEvent,
  chunkText,
  claimDocument,
  deleteDocument,
  deleteStagedChunks,
  type EmbeddingCoalescer,
  type IngestionState,
  markReady,
  planEmbeddingBatches,
  readIngestion,
  readyDocumentsWithExternalId,
  settleEmbeddingDimensions,
  stagedEmbeddings,
  stageEmbeddings,
  type TextChunk,
  updateIngestion,
} from '../../rag/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import type { StoredChunk } from '../../storage/vectors/index.ts';
import { type AuthContext, randomBase62 } from '../../tenancy/index.ts';
import { announceDocumentEvents } from './document-events.ts';
import type { KnowledgeIngestionSettings, KnowledgeServiceDependencies } from './knowledge-dependencies.ts';

/** The queue of document ingestion; a job carries ids only (organisation, document). */
export const ingestionQueue = 'knowledge-ingestion';

export interface IngestionJob extends Record<string, unknown> {
  organizationId: string;
  documentId: string;
  /** The W3C trace context of the upload that queued the document (absent when queued by a sweep). */
  traceparent?: string;
  tracestate?: string;
}

export interface IngestionJobDependencies extends KnowledgeServiceDependencies {
  coalescer: EmbeddingCoalescer<AuthContext>;
  settings: KnowledgeIngestionSettings;
}

const failureOf = (error: unknown) =>
  isPlatformError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL_ERROR', message: 'The document could not be ingested.' };

/** Worth another try later: a rate limit, a provider failure, or anything that is not a platform error (the store). */
const isTransient = (error: unknown) =>
  !isPlatformError(error) || error.status === 429 || (error.retryable && error.status >= 500);

const abandoned = (takes: number) =>
  new PlatformError({
    code: 'INGESTION_ABANDONED',
    message: `The document was taken ${takes} times and its worker stopped each time.`,
    hint: 'Upload the document again; if it fails the same way, split it into smaller documents.',
    status: 500,
    category: 'system',
    type: 'server_error',
  });

const chunkId = (documentId: string, position: number) =>
  `kchunk_${documentId.slice('kdoc_'.length)}_${position}`;

/**
 * Ingests one document: chunks its text again (with the settings it was counted with), embeds the
 * chunks not staged yet in batches through the gateway as the uploader, and stages each batch with
 * the document's progress in one transaction, so a job taken again after its worker died resumes
 * after the last staged chunk and never embeds a staged chunk twice. The last batch goes straight
 * into the transaction that stores every chunk, removes the ready document it replaces (same
 * `external_id`) and makes this one `ready`: a search sees the old version or the new one, never
 * both or neither. A transient failure (429, a provider's 5xx) is thrown, for the queue to retry
 * with backoff while tries remain; any other, or the last try's, fails the document.
 */
export async function runIngestionJob(
  dependencies: IngestionJobDependencies,
  job: IngestionJob,
  attempt: number,
): Promise<void> {
  const { clock, settings } = dependencies;
  const { organizationId, documentId } = job;
  const database = dependencies.database.forOrganization(organizationId);
  const state = await readIngestion(database, organizationId, documentId);
  if (!state) return;
  const started = performance.now();
  const ended = (outcome: 'ready' | 'failed', chunks: number) =>
    dependencies.onIngestionEnded?.(outcome, chunks, (performance.now() - started) / 1000);
  let embedded = 0;
  try {
    checkCaller(state, clock.now());
    const chunks = chunkText(state.content, state.chunking, dependencies.tokenizer);
    let staged = new Map<number, number[]>();
    // why: a document embedded in one call has one durable point, its commit, so it needs no
    // claim (a write) and is not counted; a larger one is claimed, counted, and resumes from
    // what an earlier take staged.
    if (
      state.status === 'processing' ||
      planEmbeddingBatches(chunks.map((chunk) => chunk.tokenCount)).length > 1
    ) {
      const takes = await claimDocument(database, organizationId, documentId, clock.now());
      if (takes === null) return;
      if (takes > settings.maximumTakes) throw abandoned(takes - 1);
      if (takes > 1) staged = await stagedEmbeddings(database, organizationId, documentId);
    }
    const stagedBefore = staged.size;
    if (chunks.length !== state.chunkCount && staged.size > 0) {
      // why: the tokenizer changed since upload; staged positions no longer name the same text.
      staged.clear();
      await deleteStagedChunks(database, organizationId, documentId);
    }
    embedded = staged.size;
    const remaining = chunks.filter((chunk) => !staged.has(chunk.position));
    const batches = planEmbeddingBatches(remaining.map((chunk) => chunk.tokenCount));
    let dimensionsChecked = false;
    for (const [index, batch] of batches.entries()) {
      const part = remaining.slice(batch.start, batch.end);
      const vectors = await dependencies.coalescer.embed({
        key: `${organizationId}\n${state.caller.apiKeyId}\n${state.embeddingModel}`,
        caller: state.caller,
        model: state.embeddingModel,
        texts: part.map((chunk) => chunk.text),
        tokenCounts: part.map((chunk) => chunk.tokenCount),
        requestId: `${documentId}.${part[0]!.position}-${part.at(-1)!.position}.${randomBase62(6)}`,
      });
      if (!dimensionsChecked) {
        await checkDimensions(database, organizationId, state, vectors);
        dimensionsChecked = true;
      }
      const entries = part.map((chunk, offset) => ({
        position: chunk.position,
        embedding: vectors[offset]!,
      }));
      for (const entry of entries) staged.set(entry.position, entry.embedding);
      if (index === batches.length - 1) break;
      embedded = staged.size;
      await database.transaction(async (transaction) => {
        await stageEmbeddings(transaction, organizationId, documentId, entries);
        await updateIngestion(transaction, organizationId, documentId, {
          status: 'processing',
          error: null,
          chunksEmbedded: embedded,
          now: clock.now(),
        });
        await appendDocumentEvent(transaction, organizationId, documentId, {
          type: 'document.progress',
          data: { chunk_count: chunks.length, chunks_embedded: embedded },
          now: clock.now(),
        });
      });
      await announceDocumentEvents(dependencies.eventBus, [documentId], dependencies.onError);
    }
    if (await commitDocument(dependencies, state, chunks, staged, stagedBefore > 0 || batches.length > 1)) {
      ended('ready', chunks.length);
    }
  } catch (error) {
    if (isTransient(error) && attempt < settings.attempts) throw error;
    await failDocument(dependencies, organizationId, documentId, error, embedded);
    ended('failed', 0);
  }
}

/** Refuses a key revoked or expired since the upload (sessions and workload tokens are checked at upload only). */
function checkCaller(state: IngestionState, now: number): void {
  if (state.caller.principal !== 'api_key') return;
  if (state.key === null || state.key.revokedAt !== null) throw errors.apiKeyRevoked();
  if (state.key.expiresAt !== null && state.key.expiresAt.getTime() <= now) {
    throw errors.apiKeyExpired(state.key.expiresAt);
  }
}

async function checkDimensions(
  database: Queryable,
  organizationId: string,
  state: IngestionState,
  vectors: readonly number[][],
): Promise<void> {
  const dimensions = vectors[0]?.length;
  if (dimensions === undefined) return;
  // why: the knowledge base's size is written once, by its first embedding; after that a compare suffices.
  const settled =
    state.embeddingDimensions ??
    (await settleEmbeddingDimensions(database, organizationId, state.knowledgeBaseId, dimensions));
  if (settled !== dimensions || vectors.some((vector) => vector.length !== dimensions)) {
    throw errors.invalidRequest(
      null,
      `The model '${state.embeddingModel}' returned vectors of ${dimensions} dimensions; this knowledge base holds vectors of ${settled}.`,
      'Create a new knowledge base for a model whose vectors differ.',
    );
  }
}

/** Thrown inside the commit's transaction to roll it back: the document is no longer processing. */
class DocumentNoLongerProcessing extends Error {}

async function commitDocument(
  dependencies: IngestionJobDependencies,
  state: IngestionState,
  chunks: readonly TextChunk[],
  embeddings: ReadonlyMap<number, number[]>,
  anyStaged: boolean,
): Promise<boolean> {
  const knowledgeBase = { id: state.knowledgeBaseId };
  const { store, clock } = dependencies;
  const organizationId = state.caller.organizationId;
  const stored: StoredChunk[] = chunks.map((chunk) => ({
    id: chunkId(state.id, chunk.position),
    organizationId,
    knowledgeBaseId: knowledgeBase.id,
    documentId: state.id,
    position: chunk.position,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    tokenCount: chunk.tokenCount,
    headings: chunk.headings,
    metadata: state.metadata,
    embedding: embeddings.get(chunk.position)!,
  }));
  const database = dependencies.database.forOrganization(organizationId);
  const committed = await database
    .transaction(async (transaction) => {
      if (state.externalId !== null) {
        // why: uploads of one external_id that finish together would each find no ready
        // predecessor and collide on the unique index; this lock makes them take turns, and
        // each sees the one before it (the last to finish wins).
        await transaction.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `knowledge:${knowledgeBase.id}:${state.externalId}`,
        ]);
        const displaced = await readyDocumentsWithExternalId(
          transaction,
          organizationId,
          knowledgeBase.id,
          state.externalId,
          state.id,
        );
        for (const documentId of displaced) {
          await store.deleteByDocument(transaction, {
            organizationId,
            knowledgeBaseId: knowledgeBase.id,
            documentId,
          });
          await deleteDocument(transaction, organizationId, documentId);
        }
      }
      if (!(await markReady(transaction, organizationId, state.id, stored.length, clock.now()))) {
        throw new DocumentNoLongerProcessing();
      }
      await store.upsert(transaction, stored);
      if (anyStaged) await deleteStagedChunks(transaction, organizationId, state.id);
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof DocumentNoLongerProcessing) return false;
      throw error;
    });
  if (committed) await announceDocumentEvents(dependencies.eventBus, [state.id], dependencies.onError);
  return committed;
}

async function failDocument(
  dependencies: IngestionJobDependencies,
  organizationId: string,
  documentId: string,
  error: unknown,
  chunksEmbedded: number,
): Promise<void> {
  const failure = failureOf(error);
  if (!isPlatformError(error)) dependencies.onError?.(error, `ingesting document ${documentId} failed`);
  const database = dependencies.database.forOrganization(organizationId);
  await database.transaction(async (transaction) => {
    await deleteStagedChunks(transaction, organizationId, documentId);
    await updateIngestion(transaction, organizationId, documentId, {
      status: 'failed',
      error: failure,
      chunksEmbedded,
      now: dependencies.clock.now(),
    });
    await appendDocumentEvent(transaction, organizationId, documentId, {
      type: 'document.failed',
      data: { error: failure, chunks_embedded: chunksEmbedded },
      now: dependencies.clock.now(),
    });
  });
  await announceDocumentEvents(dependencies.eventBus, [documentId], dependencies.onError);
}
