export { type ChunkVectorSupport, indexedDimensions, prepareChunkVectors } from './chunk-vectors.ts';
export {
  createQdrantVectorStore,
  type OpenedQdrantVectorStore,
  openQdrantVectorStore,
} from './qdrant/index.ts';
export {
  ensureVectorColumn,
  existingVectorColumn,
  type VectorSearchMode,
  vectorLiteral,
} from './vector-column.ts';
export {
  type ChunkHit,
  type ChunkScope,
  createVectorStore,
  type DocumentScope,
  type StoredChunk,
  type VectorStore,
  type VectorStoreOptions,
} from './vector-store.ts';
