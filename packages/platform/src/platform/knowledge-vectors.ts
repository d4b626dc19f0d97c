import type { VectorsConfig } from '../config/index.ts';
import type { Database } from '../storage/db/index.ts';
import {
  createVectorStore,
  openQdrantVectorStore,
  prepareChunkVectors,
  type VectorStore,
  type VectorStoreOptions,
} from '../storage/vectors/index.ts';
import type { Logger } from '../telemetry/index.ts';

/**
 * The knowledge chunks' vector store, chosen at start-up. With `vectors.qdrant` (or QDRANT_URL)
 * vectors live in Qdrant and the chunk rows in PostgreSQL, written without pgvector's column, so
 * PostgreSQL maintains no HNSW index meanwhile; the rows keep their `real[]` embedding, and a
 * later start without Qdrant fills the pgvector column from it (see prepareChunkVectors).
 * Otherwise, as the schema owner: pgvector with HNSW indexes where the extension loads, else an
 * exact scan.
 */
export async function openKnowledgeVectors(
  owner: Database,
  vectors: VectorsConfig,
  logger: Pick<Logger, 'info' | 'warn'>,
  database: Database,
): Promise<VectorStore> {
  // The keyword index merges its segments in the background, as each segment's organisation
  // (through `database`); on the embedded store (no autovacuum) the owner re-collects the chunk
  // tables' planner statistics after bulk writes.
  const options: VectorStoreOptions = {
    database,
    onMaintenanceError: (error) => logger.warn({ err: error }, 'knowledge index maintenance failed'),
    ...(owner.singleProcess
      ? {
          refreshStatistics: async () => {
            await owner.query('ANALYZE knowledge_chunks, knowledge_postings, knowledge_segment_members');
          },
        }
      : {}),
  };
  const qdrant = vectors.qdrant;
  if (!qdrant) return createVectorStore(await prepareChunkVectors(owner), options);
  const opened = await openQdrantVectorStore({
    connection: { url: qdrant.url, apiKey: qdrant.api_key, timeoutMs: qdrant.timeout_ms },
    rows: createVectorStore({ mode: 'exact-scan', iterativeScan: false }, options),
    collectionPrefix: qdrant.collection_prefix,
    upsertBatchSize: qdrant.upsert_batch_size,
  });
  logger.info(
    {
      qdrant: opened.origin,
      version: opened.serverVersion,
      collections: `${qdrant.collection_prefix}_<dimensions>`,
    },
    'knowledge-base vectors are stored in Qdrant',
  );
  return opened.store;
}
