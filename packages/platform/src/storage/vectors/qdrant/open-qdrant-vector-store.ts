import type { VectorStore } from '../vector-store.ts';
import { createQdrantClient, type QdrantConnection } from './qdrant-client.ts';
import { createQdrantVectorStore } from './qdrant-vector-store.ts';

export interface OpenQdrantVectorStoreOptions {
  connection: QdrantConnection;
  /** The SQL store that keeps the chunk rows (see {@link createQdrantVectorStore}). */
  rows: VectorStore;
  collectionPrefix: string;
  upsertBatchSize: number;
}

export interface OpenedQdrantVectorStore {
  store: VectorStore;
  /** The server's version, as it reports it. */
  serverVersion: string;
  /** The server's address without credentials or path, for logs and banners. */
  origin: string;
}

/**
 * Connects to Qdrant and builds the store on it. Asks the server for its version first, so a
 * wrong URL or key fails the start with a message naming the setting, not the first search.
 */
export async function openQdrantVectorStore(
  options: OpenQdrantVectorStoreOptions,
): Promise<OpenedQdrantVectorStore> {
  const origin = new URL(options.connection.url).origin;
  const client = createQdrantClient(options.connection);
  let serverVersion: string;
  try {
    serverVersion = (await client.versionInfo()).version;
  } catch (error) {
    throw new Error(
      `QDRANT_URL (vectors.qdrant.url): Qdrant did not answer at ${origin}: ${(error as Error).message}. ` +
        'Start Qdrant, correct the URL or QDRANT_API_KEY, or unset QDRANT_URL to keep vectors in PostgreSQL.',
      { cause: error },
    );
  }
  const store = createQdrantVectorStore({
    client,
    rows: options.rows,
    collectionPrefix: options.collectionPrefix,
    upsertBatchSize: options.upsertBatchSize,
  });
  return { store, serverVersion, origin };
}
