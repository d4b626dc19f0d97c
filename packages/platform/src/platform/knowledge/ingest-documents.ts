import { errors, isPlatformError } from '../../errors/index.ts';
import {
  chunkText,
  deleteDocument,
  embedInBatches,
  insertDocument,
  type KnowledgeBaseRecord,
  type KnowledgeDocumentRecord,
  type NewKnowledgeDocument,
  readyDocumentsWithExternalId,
  setDocumentStatus,
  settleEmbeddingDimensions,
  type TextChunk,
} from '../../rag/index.ts';
import type { StoredChunk } from '../../storage/vectors/index.ts';
import { type AuthContext, randomBase62 } from '../../tenancy/index.ts';
import {
  embedTexts,
  type KnowledgeCall,
  type KnowledgeServiceDependencies,
} from './knowledge-dependencies.ts';
import type { DocumentInput } from './knowledge-request.ts';

interface PreparedDocument {
  record: NewKnowledgeDocument;
  chunks: TextChunk[];
}

const failureOf = (error: unknown) =>
  isPlatformError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL_ERROR', message: 'The document could not be embedded.' };

/**
 * Ingests JSON documents into a knowledge base, synchronously: each document row is written
 * first (`processing`, with its chunk count), then every chunk of the request is embedded in
 * batches through the gateway, then each document's chunks are stored and it becomes `ready` in
 * one transaction, which also removes the ready document it replaces (same `external_id`), so a
 * search sees the old version or the new one, never both or neither. When embedding fails the
 * documents are marked `failed` with the error, and the error is the request's answer.
 */
export async function ingestDocuments(
  dependencies: KnowledgeServiceDependencies,
  caller: AuthContext,
  call: KnowledgeCall,
  knowledgeBase: KnowledgeBaseRecord,
  inputs: readonly DocumentInput[],
): Promise<KnowledgeDocumentRecord[]> {
  const { clock, tokenizer, store } = dependencies;
  const organizationId = caller.organizationId;
  const database = dependencies.database.forOrganization(organizationId);
  const now = clock.now();
  const prepared: PreparedDocument[] = inputs.map((input) => {
    const chunks = chunkText(input.text, knowledgeBase.chunking, tokenizer);
    return {
      chunks,
      record: {
        id: `kdoc_${randomBase62(24)}`,
        knowledgeBaseId: knowledgeBase.id,
        externalId: input.external_id ?? null,
        title: input.title,
        metadata: input.metadata,
        status: 'processing',
        error: null,
        content: input.text,
        characterCount: input.text.length,
        chunkCount: chunks.length,
        createdAt: now,
        updatedAt: now,
      },
    };
  });
  await database.transaction(async (transaction) => {
    for (const document of prepared) await insertDocument(transaction, organizationId, document.record);
  });

  const allChunks = prepared.flatMap((document) => document.chunks);
  let vectors: number[][];
  try {
    vectors = await embedInBatches(
      allChunks.map((chunk) => chunk.text),
      allChunks.map((chunk) => chunk.tokenCount),
      (texts, batchIndex) =>
        embedTexts(
          dependencies,
          caller,
          call,
          knowledgeBase.embeddingModel,
          texts,
          `${call.requestId}-embedding-${batchIndex + 1}`,
        ),
    );
    const dimensions = vectors[0]?.length;
    if (dimensions !== undefined) {
      const settled = await settleEmbeddingDimensions(database, organizationId, knowledgeBase.id, dimensions);
      if (settled !== dimensions || vectors.some((vector) => vector.length !== dimensions)) {
        throw errors.invalidRequest(
          null,
          `The model '${knowledgeBase.embeddingModel}' returned vectors of ${dimensions} dimensions; this knowledge base holds vectors of ${settled}.`,
          'Create a new knowledge base for a model whose vectors differ.',
        );
      }
    }
  } catch (error) {
    const failure = failureOf(error);
    for (const document of prepared) {
      await setDocumentStatus(database, organizationId, document.record.id, {
        status: 'failed',
        error: failure,
        now: clock.now(),
      });
    }
    throw error;
  }

  let offset = 0;
  const stored: KnowledgeDocumentRecord[] = [];
  for (const document of prepared) {
    const { record } = document;
    const chunks: StoredChunk[] = document.chunks.map((chunk, index) => ({
      id: `kchunk_${record.id.slice('kdoc_'.length)}_${chunk.position}`,
      organizationId,
      knowledgeBaseId: knowledgeBase.id,
      documentId: record.id,
      position: chunk.position,
      text: chunk.text,
      start: chunk.start,
      end: chunk.end,
      tokenCount: chunk.tokenCount,
      headings: chunk.headings,
      metadata: record.metadata,
      embedding: vectors[offset + index]!,
    }));
    offset += chunks.length;
    const readyAt = clock.now();
    await database.transaction(async (transaction) => {
      if (record.externalId !== null) {
        // why: uploads of one external_id that finish together would each find no ready
        // predecessor and collide on the unique index; this lock makes them take turns, and
        // each sees the one before it (the last to finish wins).
        await transaction.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `knowledge:${knowledgeBase.id}:${record.externalId}`,
        ]);
        const displaced = await readyDocumentsWithExternalId(
          transaction,
          organizationId,
          knowledgeBase.id,
          record.externalId,
          record.id,
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
      await store.upsert(transaction, chunks);
      await setDocumentStatus(transaction, organizationId, record.id, {
        status: 'ready',
        error: null,
        now: readyAt,
      });
    });
    const { content: _content, ...rest } = record;
    stored.push({ ...rest, status: 'ready', updatedAt: readyAt });
  }
  return stored;
}
