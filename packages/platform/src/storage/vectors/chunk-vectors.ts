import type { Database, Queryable } from '../db/index.ts';
import { ensureVectorColumn, existingVectorColumn, type VectorSearchMode } from './vector-column.ts';

/**
 * Embedding sizes that get an HNSW index of their own at start-up: the simulated model's (256)
 * and the common ones of hosted models. pgvector indexes only a fixed dimension, while one
 * column holds every knowledge base's vectors (their models differ), so each index is a partial
 * expression index `(embedding_vector::vector(n)) WHERE vector_dims(embedding_vector) = n`.
 * A dimension without an index still searches correctly, by pgvector's exact scan.
 * (HNSW on `vector` stops at 2,000 dimensions; 3,072-dimension models search exactly.)
 */
export const indexedDimensions: readonly number[] = [256, 384, 512, 768, 1024, 1536];

/** How the chunk store searches vectors, and whether pgvector answers iterative HNSW scans (≥ 0.8). */
export interface ChunkVectorSupport {
  /** `qdrant`: vectors in Qdrant, chunk rows in PostgreSQL (`storage/vectors/qdrant/`). */
  mode: VectorSearchMode | 'qdrant';
  iterativeScan: boolean;
}

async function iterativeScanSupported(database: Queryable): Promise<boolean> {
  const result = await database.query<{ version: string }>(
    "SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'",
  );
  const [major = 0, minor = 0] = (result.rows[0]?.version ?? '0.0').split('.').map(Number);
  return major > 0 || minor >= 8;
}

/**
 * Prepares `knowledge_chunks` for vector search. As the schema owner (start-up): loads pgvector
 * where it exists, adds the `embedding_vector` column and the HNSW indexes of
 * {@link indexedDimensions} plus every dimension a knowledge base already uses, and fills the
 * column of chunks written without it. Any other handle
 * only asks the catalog. Without pgvector the store scans `real[]` embeddings exactly in SQL.
 */
export async function prepareChunkVectors(
  database: Database,
  options: { mode?: 'auto' | 'exact-scan' } = {},
): Promise<ChunkVectorSupport> {
  if (options.mode === 'exact-scan') return { mode: 'exact-scan', iterativeScan: false };
  if (database.scope.kind !== 'owner') {
    const mode = await existingVectorColumn(database, 'knowledge_chunks', 'embedding_vector');
    return { mode, iterativeScan: mode === 'pgvector' && (await iterativeScanSupported(database)) };
  }
  const mode = await ensureVectorColumn(database, 'knowledge_chunks', 'embedding_vector');
  if (mode === 'exact-scan') return { mode, iterativeScan: false };
  const used = await database.query<{ dimensions: number }>(
    'SELECT DISTINCT embedding_dimensions AS dimensions FROM knowledge_bases WHERE embedding_dimensions <= 2000',
  );
  const dimensions = new Set([...indexedDimensions, ...used.rows.map((row) => row.dimensions)]);
  for (const size of dimensions) {
    if (!Number.isInteger(size) || size < 1) continue;
    await database.query(
      `CREATE INDEX IF NOT EXISTS knowledge_chunks_hnsw_${size}_idx ON knowledge_chunks
         USING hnsw ((embedding_vector::vector(${size})) vector_cosine_ops)
         WHERE vector_dims(embedding_vector) = ${size}`,
    );
  }
  // why: chunks written while pgvector was missing (or before this column existed) carry only
  // their real[] embedding; they join the pgvector searches from this start-up on.
  await database.query(
    'UPDATE knowledge_chunks SET embedding_vector = embedding::vector WHERE embedding_vector IS NULL',
  );
  return { mode, iterativeScan: await iterativeScanSupported(database) };
}
