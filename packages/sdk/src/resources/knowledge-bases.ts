import type {
  DocumentEvent,
  KnowledgeBase,
  KnowledgeBaseCreate,
  KnowledgeDocument,
  KnowledgeSearchRequest,
  KnowledgeSearchResult,
  ListEnvelope,
} from '../api-types.ts';
import { type Query, segment, type Transport } from '../transport/index.ts';
import { followEvents } from './follow-events.ts';
import { canStreamRequestBodies, multipartBody, type UploadFile } from './multipart-upload.ts';

export type { UploadFile } from './multipart-upload.ts';

export interface UploadProgress {
  /** For 'upload': file bytes sent. For 'ingest': the share of chunks embedded, in bytes of the file. */
  loadedBytes: number;
  totalBytes: number;
  phase: 'upload' | 'ingest';
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** Follow the ingestion until the document is ready or failed (reporting 'ingest' progress). */
  wait?: boolean;
  title?: string;
  external_id?: string;
  metadata?: Record<string, unknown>;
  signal?: AbortSignal;
}

const terminalDocumentEvents = new Set(['document.ready', 'document.failed']);

/** A knowledge base's documents. */
export class DocumentsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  list(
    knowledgeBaseId: string,
    query: { limit?: number; after?: string } = {},
  ): Promise<ListEnvelope<KnowledgeDocument>> {
    return this.#transport.json({
      method: 'GET',
      path: `${basePath(knowledgeBaseId)}/documents`,
      query: query as Query,
    });
  }
  get(knowledgeBaseId: string, documentId: string): Promise<KnowledgeDocument> {
    return this.#transport.json({ method: 'GET', path: documentPath(knowledgeBaseId, documentId) });
  }
  delete(knowledgeBaseId: string, documentId: string): Promise<unknown> {
    return this.#transport.json({ method: 'DELETE', path: documentPath(knowledgeBaseId, documentId) });
  }
  /** The document's ingestion events until `document.ready` or `document.failed`; resumes after drops. */
  async *watch(
    knowledgeBaseId: string,
    documentId: string,
    options: { after?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<DocumentEvent, void, undefined> {
    for await (const event of followEvents(this.#transport, {
      path: `${documentPath(knowledgeBaseId, documentId)}/events`,
      isTerminal: (event) => terminalDocumentEvents.has(event.event),
      ...(options.after === undefined ? {} : { after: options.after }),
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      yield JSON.parse(event.data) as DocumentEvent;
    }
  }
}

const basePath = (id: string) => `/v1/knowledge-bases/${segment(id)}`;
const documentPath = (id: string, documentId: string) => `${basePath(id)}/documents/${segment(documentId)}`;

/** /v1/knowledge-bases: CRUD, uploads with progress, search. */
export class KnowledgeBasesResource {
  readonly documents: DocumentsResource;
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
    this.documents = new DocumentsResource(transport);
  }

  create(body: KnowledgeBaseCreate): Promise<KnowledgeBase> {
    return this.#transport.json({ method: 'POST', path: '/v1/knowledge-bases', json: body });
  }
  async list(query: { limit?: number; after?: string } = {}): Promise<KnowledgeBase[]> {
    const page = await this.#transport.json<ListEnvelope<KnowledgeBase>>({
      method: 'GET',
      path: '/v1/knowledge-bases',
      query: query as Query,
    });
    return page.data;
  }
  get(id: string): Promise<KnowledgeBase> {
    return this.#transport.json({ method: 'GET', path: basePath(id) });
  }
  update(id: string, body: Partial<KnowledgeBaseCreate>): Promise<KnowledgeBase> {
    return this.#transport.json({ method: 'PATCH', path: basePath(id), json: body });
  }
  delete(id: string): Promise<unknown> {
    return this.#transport.json({ method: 'DELETE', path: basePath(id) });
  }
  search(id: string, request: KnowledgeSearchRequest): Promise<KnowledgeSearchResult> {
    return this.#transport.json({ method: 'POST', path: `${basePath(id)}/search`, json: request });
  }

  /**
   * Uploads one file as multipart/form-data. `onProgress` hears 'upload' as the file's bytes are
   * sent and, with `wait`, 'ingest' from the document's events until it is ready (or failed); the
   * document is then read again, so its status is final.
   */
  async upload(id: string, file: UploadFile, options: UploadOptions = {}): Promise<KnowledgeDocument> {
    const fields: Record<string, string> = {
      ...(options.title === undefined ? {} : { title: options.title }),
      ...(options.external_id === undefined ? {} : { external_id: options.external_id }),
      ...(options.metadata === undefined ? {} : { metadata: JSON.stringify(options.metadata) }),
    };
    const multipart = await multipartBody(file, fields);
    const totalBytes = multipart.fileBytes;
    const report = (loadedBytes: number, phase: UploadProgress['phase']) =>
      options.onProgress?.({ loadedBytes, totalBytes, phase });
    const document = await this.#transport.json<KnowledgeDocument>({
      method: 'POST',
      path: `${basePath(id)}/documents`,
      body: () => {
        if (canStreamRequestBodies()) {
          return {
            body: multipart.stream((loaded) => report(loaded, 'upload')),
            contentType: multipart.contentType,
            streamed: true,
          };
        }
        // why: without streamed bodies the bytes leave in one piece, so progress is its start only
        report(0, 'upload');
        return { body: multipart.blob(), contentType: multipart.contentType };
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!canStreamRequestBodies()) report(totalBytes, 'upload');
    if (!options.wait) return document;
    for await (const event of this.documents.watch(
      id,
      document.id,
      options.signal ? { signal: options.signal } : {},
    )) {
      const data = event.data ?? {};
      const count = Number(data.chunk_count);
      const embedded = Number(data.chunks_embedded);
      if (event.type === 'document.ready') report(totalBytes, 'ingest');
      else if (count > 0 && Number.isFinite(embedded))
        report(Math.round((totalBytes * embedded) / count), 'ingest');
    }
    return this.documents.get(id, document.id);
  }
}
