import {
  type DocumentEvent,
  findDocuments,
  type KnowledgeDocumentRecord,
  readDocumentEvents,
} from '../../rag/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../../storage/pubsub/index.ts';

/** The pub/sub channel that says a document has new events (the store holds them). */
export function documentEventsChannel(documentId: string): string {
  return `knowledge-document-events:${documentId}`;
}

const isTerminal = (type: string) => type === 'document.ready' || type === 'document.failed';

/** Tells every replica that the document has new events; a lost notice only delays a stream to its poll. */
export async function announceDocumentEvents(
  eventBus: EventBus,
  documentIds: readonly string[],
  onError?: (error: unknown, message: string) => void,
): Promise<void> {
  for (const documentId of documentIds) {
    await eventBus
      .publish(documentEventsChannel(documentId), 'appended')
      .catch((error: unknown) => onError?.(error, 'announcing knowledge document events failed'));
  }
}

export interface DocumentEventFeed {
  close(): Promise<void>;
}

/**
 * Delivers a document's events after `afterSequence`, in order and without gaps, until the
 * terminal one (`document.ready` or `document.failed`): the store is the source, a pub/sub notice
 * says when to read it again, and a slow poll covers notices lost between processes (and a
 * document deleted meanwhile, which ends the feed). `deliver` is awaited (backpressure).
 */
export async function followDocumentEvents(
  dependencies: { database: Database; eventBus: EventBus; pollIntervalMs?: number },
  organizationId: string,
  knowledgeBaseId: string,
  documentId: string,
  afterSequence: number,
  deliver: (event: DocumentEvent) => Promise<void> | void,
  onEnd: (error?: unknown) => void,
): Promise<DocumentEventFeed> {
  const database = dependencies.database.forOrganization(organizationId);
  let last = afterSequence;
  let closed = false;
  let reading = false;
  let again = false;
  let unsubscribe: Unsubscribe | null = null;
  const finish = (error?: unknown) => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    void unsubscribe?.().catch(() => {});
    onEnd(error);
  };
  const pump = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          if (closed) return;
          const events = await readDocumentEvents(database, organizationId, documentId, last, 500);
          for (const event of events) {
            if (closed) return;
            await deliver(event);
            last = event.sequence;
            if (isTerminal(event.type)) {
              finish();
              return;
            }
          }
          if (events.length < 500) break;
        }
      } while (again);
      const still = await findDocuments(database, organizationId, knowledgeBaseId, [documentId]);
      if (!still.has(documentId)) finish();
    } catch (error) {
      finish(error);
    } finally {
      reading = false;
    }
  };
  const poll = setInterval(() => void pump(), dependencies.pollIntervalMs ?? 1000);
  poll.unref();
  unsubscribe = await dependencies.eventBus.subscribe(documentEventsChannel(documentId), () => void pump());
  void pump();
  return {
    async close() {
      finish();
    },
  };
}

/**
 * Waits up to `timeoutMs` for every document to be ready or failed, or gone (replaced by a later
 * upload of its `external_id`, or deleted, while it was waited for); returns their records in
 * the order of `documentIds` as they are then, a gone one as it was last seen, and whether every
 * one settled.
 */
export async function waitForDocuments(
  dependencies: { database: Database; eventBus: EventBus },
  organizationId: string,
  knowledgeBaseId: string,
  queued: readonly KnowledgeDocumentRecord[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ records: KnowledgeDocumentRecord[]; settled: boolean }> {
  const database = dependencies.database.forOrganization(organizationId);
  const latest = new Map(queued.map((record) => [record.id, record]));
  const gone = new Set<string>();
  const settled = () =>
    [...latest.values()].every(
      (record) => gone.has(record.id) || record.status === 'ready' || record.status === 'failed',
    );
  const read = async () => {
    const ids = [...latest.keys()].filter((id) => !gone.has(id));
    const found = await findDocuments(database, organizationId, knowledgeBaseId, ids);
    for (const id of ids) {
      const record = found.get(id);
      if (record) latest.set(id, record);
      else gone.add(id);
    }
  };
  if (timeoutMs > 0) {
    let wake: () => void = () => {};
    const unsubscribes = await Promise.all(
      [...latest.keys()].map((id) =>
        dependencies.eventBus.subscribe(documentEventsChannel(id), () => wake()),
      ),
    );
    const deadline = Date.now() + timeoutMs;
    try {
      await read();
      while (!settled() && Date.now() < deadline && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        await read();
      }
    } finally {
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe().catch(() => {})));
    }
  }
  return { records: [...latest.values()], settled: settled() };
}
