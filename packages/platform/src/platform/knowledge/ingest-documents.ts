import {
  chunkText,
  insertDocuments,
  insertFirstEvents,
  type KnowledgeBaseRecord,
  type KnowledgeDocumentRecord,
  type NewKnowledgeDocument,
} from '../../rag/index.ts';
import { type AuthContext, randomBase62 } from '../../tenancy/index.ts';
import { announceDocumentEvents } from './document-events.ts';
import type { IngestionWorker } from './ingestion-worker.ts';
import type { KnowledgeServiceDependencies } from './knowledge-dependencies.ts';
import {
  checkKnowledgeAllowance,
  documentTooLarge,
  type KnowledgeLimits,
  knowledgeLimitsOf,
  lockKnowledgeAllowance,
} from './knowledge-limits.ts';
import type { DocumentInput } from './knowledge-request.ts';

/** Where a document came from, for the field a refusal names. */
export type DocumentOrigin = { kind: 'json'; bulk: boolean } | { kind: 'files' };

/** The field of the `index`-th document's text a refusal names. */
const textParam = (origin: DocumentOrigin, index: number) =>
  origin.kind === 'files' ? 'file' : origin.bulk ? `documents[${index}].text` : 'text';

/** Refuses a JSON document whose text is over the plan's per-document size (a file is checked before it is read). */
function checkTextSizes(limits: KnowledgeLimits, inputs: readonly DocumentInput[], origin: DocumentOrigin) {
  if (limits.maxFileBytes === null || origin.kind === 'files') return;
  inputs.forEach((input, index) => {
    const bytes = Buffer.byteLength(input.text, 'utf8');
    if (bytes > limits.maxFileBytes!) {
      throw documentTooLarge(limits, textParam(origin, index), `The text of document ${index}`, bytes);
    }
  });
}

/**
 * Queues documents for ingestion: each is chunked here only to be counted (the plan's allowance
 * is checked against the counts), then every document row is written `queued` with its first
 * event (`document.queued`), its chunking settings and the uploader's key context in one
 * transaction, and one job per document is enqueued. The job does the embedding (see
 * `ingestion-job.ts`). Returns the queued records.
 */
export async function queueDocuments(
  dependencies: KnowledgeServiceDependencies,
  worker: IngestionWorker,
  caller: AuthContext,
  knowledgeBase: KnowledgeBaseRecord,
  inputs: readonly DocumentInput[],
  origin: DocumentOrigin,
): Promise<KnowledgeDocumentRecord[]> {
  const { clock, tokenizer } = dependencies;
  const organizationId = caller.organizationId;
  const limits = knowledgeLimitsOf(caller, dependencies.plan);
  checkTextSizes(limits, inputs, origin);
  const database = dependencies.database.forOrganization(organizationId);
  const now = clock.now();
  const documents: NewKnowledgeDocument[] = inputs.map((input) => ({
    id: `kdoc_${randomBase62(24)}`,
    knowledgeBaseId: knowledgeBase.id,
    externalId: input.external_id ?? null,
    title: input.title,
    metadata: input.metadata,
    status: 'queued',
    error: null,
    content: input.text,
    characterCount: input.text.length,
    chunkCount: chunkText(input.text, knowledgeBase.chunking, tokenizer).length,
    chunksEmbedded: 0,
    createdAt: now,
    updatedAt: now,
    caller,
    chunking: knowledgeBase.chunking,
  }));
  await database.transaction(async (transaction) => {
    if (limits.maxDocuments !== null || limits.maxChunks !== null) {
      await lockKnowledgeAllowance(transaction, organizationId);
      await checkKnowledgeAllowance(
        transaction,
        caller,
        limits,
        knowledgeBase.id,
        documents,
        origin.kind === 'files' ? 'file' : origin.bulk ? 'documents' : 'text',
      );
    }
    await insertDocuments(transaction, organizationId, documents, 1);
    await insertFirstEvents(
      transaction,
      organizationId,
      documents.map((document) => ({
        documentId: document.id,
        type: 'document.queued' as const,
        data: { chunk_count: document.chunkCount, chunks_embedded: 0 },
      })),
      now,
    );
  });
  const ids = documents.map((document) => document.id);
  try {
    await worker.enqueue(organizationId, ids);
  } catch (error) {
    // why not the request's failure: the documents are stored, and the worker's sweep enqueues them.
    dependencies.onError?.(error, 'enqueueing knowledge documents failed; the sweep will retry');
  }
  await announceDocumentEvents(dependencies.eventBus, ids, dependencies.onError);
  return documents.map(({ content: _content, caller: _caller, chunking: _chunking, ...record }) => record);
}
