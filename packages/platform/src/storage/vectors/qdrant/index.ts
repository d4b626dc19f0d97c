export { type TranslatedFilter, translateMetadataFilter } from './metadata-filter.ts';
export {
  type OpenedQdrantVectorStore,
  type OpenQdrantVectorStoreOptions,
  openQdrantVectorStore,
} from './open-qdrant-vector-store.ts';
export { chunkPointId } from './point-id.ts';
export { createQdrantClient, type QdrantConnection, type QdrantPointsClient } from './qdrant-client.ts';
export { collectionPrefixPattern } from './qdrant-collections.ts';
export { createQdrantVectorStore, type QdrantVectorStoreOptions } from './qdrant-vector-store.ts';
