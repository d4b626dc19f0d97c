import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import {
  countKnowledgeBaseContents,
  type DocumentEvent,
  deleteDocument,
  deleteKnowledgeBase,
  findDocument,
  findDocuments,
  insertKnowledgeBase,
  type KnowledgeBaseRecord,
  listDocuments,
  listKnowledgeBases,
  searchChunks,
  updateKnowledgeBase,
} from '../../rag/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import { type AuthContext, randomBase62 } from '../../tenancy/index.ts';
import { type DocumentEventFeed, followDocumentEvents, waitForDocuments } from './document-events.ts';
import { queueDocuments } from './ingest-documents.ts';
import { createIngestionWorker } from './ingestion-worker.ts';
import {
  checkEmbeddingModel,
  embedTexts,
  existingKnowledgeBase,
  type KnowledgeCall,
  type KnowledgeServiceDependencies,
  knowledgeBaseNotFound,
} from './knowledge-dependencies.ts';
import { documentTooLarge, knowledgeLimitsOf } from './knowledge-limits.ts';
import {
  type KnowledgeBaseObject,
  type KnowledgeDocumentObject,
  type KnowledgeSearchResult,
  type Page,
  toDocumentObject,
  toKnowledgeBaseObject,
  toPage,
  toSearchHit,
} from './knowledge-objects.ts';
import type {
  DocumentInput,
  KnowledgeBaseCreateRequest,
  KnowledgeBaseUpdateRequest,
  ListQuery,
  SearchRequest,
} from './knowledge-request.ts';
import { createKnowledgeRetrieval, type KnowledgeRetrieval } from './knowledge-retrieval.ts';
import { documentsFromUpload, type UploadedFile, type UploadFields } from './knowledge-uploads.ts';

/** How an upload answers: at once (`waitSeconds` 0), or once its documents are ready or failed, for up to that long. */
export interface UploadOptions {
  waitSeconds: number;
  /** A JSON body with `documents` (a failure names `documents[i]`). */
  bulk?: boolean;
}

/** The queued documents, and whether each reached `ready` or `failed` within the wait. */
export interface UploadResult {
  documents: KnowledgeDocumentObject[];
  settled: boolean;
}

/** The longest an upload may wait for its documents. */
export const maximumUploadWaitSeconds = 60;

/**
 * Knowledge bases of the caller's organisation: CRUD (`knowledge:read` to read, `knowledge:write`
 * to change), documents (JSON text or files) queued for ingestion by jobs with progress and
 * events, and search (`knowledge:read`). Embedding calls go through the gateway as the uploader,
 * so they are admitted, metered and billed like any call.
 */
export interface KnowledgeServices {
  create(
    caller: AuthContext,
    call: KnowledgeCall,
    body: KnowledgeBaseCreateRequest,
  ): Promise<KnowledgeBaseObject>;
  list(caller: AuthContext, query: ListQuery): Promise<Page<KnowledgeBaseObject>>;
  retrieve(caller: AuthContext, id: string): Promise<KnowledgeBaseObject>;
  update(caller: AuthContext, id: string, change: KnowledgeBaseUpdateRequest): Promise<KnowledgeBaseObject>;
  /** Deletes the knowledge base with every document, chunk and vector. */
  remove(
    caller: AuthContext,
    id: string,
  ): Promise<{ id: string; object: 'knowledge_base.deleted'; deleted: true }>;
  /** Queues documents for ingestion (one job each); see `ingest-documents.ts`. */
  addDocuments(
    caller: AuthContext,
    call: KnowledgeCall,
    id: string,
    documents: readonly DocumentInput[],
    options: UploadOptions,
  ): Promise<UploadResult>;
  /** Uploaded files (PDF, HTML, CSV, JSON, text, Markdown) as queued documents; see `knowledge-uploads.ts`. */
  addFiles(
    caller: AuthContext,
    call: KnowledgeCall,
    id: string,
    files: readonly UploadedFile[],
    fields: UploadFields,
    options: UploadOptions,
  ): Promise<UploadResult>;
  /**
   * Follows a document's events after `afterSequence` until its terminal one (`document.ready`
   * or `document.failed`); `onEnd` is called once, with the error if reading failed.
   */
  followDocumentEvents(
    caller: AuthContext,
    id: string,
    documentId: string,
    afterSequence: number,
    deliver: (event: DocumentEvent) => Promise<void> | void,
    onEnd: (error?: unknown) => void,
  ): Promise<DocumentEventFeed>;
  listDocuments(caller: AuthContext, id: string, query: ListQuery): Promise<Page<KnowledgeDocumentObject>>;
  retrieveDocument(caller: AuthContext, id: string, documentId: string): Promise<KnowledgeDocumentObject>;
  removeDocument(
    caller: AuthContext,
    id: string,
    documentId: string,
  ): Promise<{ id: string; object: 'knowledge_document.deleted'; deleted: true }>;
  search(
    caller: AuthContext,
    call: KnowledgeCall,
    id: string,
    request: SearchRequest,
  ): Promise<KnowledgeSearchResult>;
  /** Retrieval across knowledge bases, for chat, responses and agents (see `knowledge-retrieval.ts`). */
  readonly retrieval: KnowledgeRetrieval;
  /** Starts this process's ingestion worker (the queue's consumer). */
  startWorker(): Promise<void>;
  /** Stops the ingestion worker, waiting for the documents it is embedding. */
  close(): Promise<void>;
}

const unknownCursor = () =>
  errors.invalidRequest(
    'after',
    "No item with the id given in 'after'.",
    'Pass the id of an item of the page you came from.',
  );

export function createKnowledgeServices(dependencies: KnowledgeServiceDependencies): KnowledgeServices {
  const { clock, store } = dependencies;
  const worker = createIngestionWorker(dependencies);
  const settle = async (
    caller: AuthContext,
    call: KnowledgeCall,
    knowledgeBaseId: string,
    queued: Awaited<ReturnType<typeof queueDocuments>>,
    options: UploadOptions,
  ): Promise<UploadResult> => {
    const { records, settled } = await waitForDocuments(
      dependencies,
      caller.organizationId,
      knowledgeBaseId,
      queued,
      Math.min(options.waitSeconds, maximumUploadWaitSeconds) * 1000,
      call.signal,
    );
    return { documents: records.map(toDocumentObject), settled };
  };
  const reading = (caller: AuthContext) => {
    requirePermission(caller, 'knowledge:read', caller.organizationId);
    return dependencies.database.forOrganization(caller.organizationId);
  };
  const writing = (caller: AuthContext) => {
    requirePermission(caller, 'knowledge:write', caller.organizationId);
    return dependencies.database.forOrganization(caller.organizationId);
  };
  const withCounts = async (caller: AuthContext, records: KnowledgeBaseRecord[]) => {
    const database = dependencies.database.forOrganization(caller.organizationId);
    const counts = await countKnowledgeBaseContents(
      database,
      caller.organizationId,
      records.map((record) => record.id),
    );
    return records.map((record) =>
      toKnowledgeBaseObject(record, counts.get(record.id) ?? { documents: 0, chunks: 0 }),
    );
  };
  const documentMissing = (documentId: string) => errors.notFound(`The document '${documentId}'`, null);
  const summary = (record: KnowledgeBaseRecord) => ({
    name: record.name,
    embedding_model: record.embeddingModel,
    chunking: { max_tokens: record.chunking.maxTokens, overlap_tokens: record.chunking.overlapTokens },
  });
  const auditChange = (
    caller: AuthContext,
    transaction: Queryable,
    action: 'knowledge_base.created' | 'knowledge_base.updated' | 'knowledge_base.deleted',
    id: string,
    before: KnowledgeBaseRecord | null,
    after: KnowledgeBaseRecord | null,
  ) =>
    dependencies.audit.record(transaction, {
      ...attributionOf(caller),
      organizationId: caller.organizationId,
      action,
      target: { type: 'knowledge_base', id },
      before: before ? summary(before) : null,
      after: after ? summary(after) : null,
    });

  return {
    retrieval: createKnowledgeRetrieval(dependencies),

    async create(caller, call, body) {
      const database = writing(caller);
      checkEmbeddingModel(dependencies, caller, call, body.embedding_model);
      const now = clock.now();
      const record: KnowledgeBaseRecord = {
        id: `kb_${randomBase62(24)}`,
        name: body.name,
        description: body.description ?? null,
        embeddingModel: body.embedding_model,
        embeddingDimensions: null,
        chunking: body.chunking ?? { maxTokens: 400, overlapTokens: 60 },
        metadata: body.metadata ?? {},
        createdAt: now,
        updatedAt: now,
      };
      await database.transaction(async (transaction) => {
        await insertKnowledgeBase(transaction, caller.organizationId, record);
        await auditChange(caller, transaction, 'knowledge_base.created', record.id, null, record);
      });
      return toKnowledgeBaseObject(record, { documents: 0, chunks: 0 });
    },

    async list(caller, query) {
      const page = await listKnowledgeBases(reading(caller), caller.organizationId, query);
      if (!page) throw unknownCursor();
      return toPage(await withCounts(caller, page.records), page.hasMore);
    },

    async retrieve(caller, id) {
      const record = await existingKnowledgeBase(reading(caller), caller, id);
      return (await withCounts(caller, [record]))[0]!;
    },

    async update(caller, id, change) {
      const record = await writing(caller).transaction(async (transaction) => {
        const before = await existingKnowledgeBase(transaction, caller, id);
        const after = await updateKnowledgeBase(transaction, caller.organizationId, id, change, clock.now());
        if (!after) throw knowledgeBaseNotFound(id);
        await auditChange(caller, transaction, 'knowledge_base.updated', id, before, after);
        return after;
      });
      return (await withCounts(caller, [record]))[0]!;
    },

    async remove(caller, id) {
      const database = writing(caller);
      await database.transaction(async (transaction) => {
        const before = await existingKnowledgeBase(transaction, caller, id);
        // why explicit: the vector store port deletes its own rows (a store outside PostgreSQL
        // would not follow the foreign keys); documents then go with the knowledge base.
        await store.deleteByKnowledgeBase(transaction, {
          organizationId: caller.organizationId,
          knowledgeBaseId: id,
        });
        if (!(await deleteKnowledgeBase(transaction, caller.organizationId, id))) {
          throw knowledgeBaseNotFound(id);
        }
        await auditChange(caller, transaction, 'knowledge_base.deleted', id, before, null);
      });
      return { id, object: 'knowledge_base.deleted', deleted: true };
    },

    async addDocuments(caller, call, id, documents, options) {
      const knowledgeBase = await existingKnowledgeBase(writing(caller), caller, id);
      const queued = await queueDocuments(dependencies, worker, caller, knowledgeBase, documents, {
        kind: 'json',
        bulk: options.bulk ?? false,
      });
      return settle(caller, call, id, queued, options);
    },

    async addFiles(caller, call, id, files, fields, options) {
      const knowledgeBase = await existingKnowledgeBase(writing(caller), caller, id);
      const limits = knowledgeLimitsOf(caller, dependencies.plan);
      for (const file of files) {
        if (limits.maxFileBytes !== null && file.bytes.length > limits.maxFileBytes) {
          throw documentTooLarge(
            limits,
            'file',
            `The file '${file.filename.slice(0, 200)}'`,
            file.bytes.length,
          );
        }
      }
      const documents = await documentsFromUpload(files, fields);
      const queued = await queueDocuments(dependencies, worker, caller, knowledgeBase, documents, {
        kind: 'files',
      });
      return settle(caller, call, id, queued, options);
    },

    async followDocumentEvents(caller, id, documentId, afterSequence, deliver, onEnd) {
      const database = reading(caller);
      await existingKnowledgeBase(database, caller, id);
      if (!(await findDocument(database, caller.organizationId, id, documentId)))
        throw documentMissing(documentId);
      return followDocumentEvents(
        dependencies,
        caller.organizationId,
        id,
        documentId,
        afterSequence,
        deliver,
        onEnd,
      );
    },

    async listDocuments(caller, id, query) {
      const database = reading(caller);
      await existingKnowledgeBase(database, caller, id);
      const page = await listDocuments(database, caller.organizationId, id, query);
      if (!page) throw unknownCursor();
      return toPage(page.records.map(toDocumentObject), page.hasMore);
    },

    async retrieveDocument(caller, id, documentId) {
      const database = reading(caller);
      await existingKnowledgeBase(database, caller, id);
      const record = await findDocument(database, caller.organizationId, id, documentId);
      if (!record) throw documentMissing(documentId);
      return toDocumentObject(record);
    },

    async removeDocument(caller, id, documentId) {
      const database = writing(caller);
      await database.transaction(async (transaction) => {
        await existingKnowledgeBase(transaction, caller, id);
        if (!(await findDocument(transaction, caller.organizationId, id, documentId)))
          throw documentMissing(documentId);
        await store.deleteByDocument(transaction, {
          organizationId: caller.organizationId,
          knowledgeBaseId: id,
          documentId,
        });
        await deleteDocument(transaction, caller.organizationId, documentId);
      });
      return { id: documentId, object: 'knowledge_document.deleted', deleted: true };
    },

    async search(caller, call, id, request) {
      const database = reading(caller);
      const knowledgeBase = await existingKnowledgeBase(database, caller, id);
      const hits = await searchChunks(store, database, {
        organizationId: caller.organizationId,
        knowledgeBaseId: id,
        query: request.query,
        mode: request.mode,
        topK: request.top_k,
        ...(request.min_score === undefined ? {} : { minScore: request.min_score }),
        ...(request.filter === undefined ? {} : { filter: request.filter }),
        embedQuery: async () =>
          (
            await embedTexts(
              dependencies,
              caller,
              call,
              knowledgeBase.embeddingModel,
              [request.query],
              call.requestId,
            )
          )[0]!,
      });
      const documents = await findDocuments(database, caller.organizationId, id, [
        ...new Set(hits.map((hit) => hit.documentId)),
      ]);
      return {
        object: 'list',
        mode: request.mode,
        data: hits.map((hit) => toSearchHit(hit, documents.get(hit.documentId), request.mode)),
      };
    },

    startWorker: () => worker.start(),
    close: () => worker.close(),
  };
}
