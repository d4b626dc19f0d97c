export {
  type ChunkingSettings,
  chunkText,
  defaultChunkingSettings,
  type TextChunk,
} from './chunking/index.ts';
export {
  defaultEmbeddingBatchLimits,
  type EmbeddingBatchLimits,
  embedInBatches,
  planEmbeddingBatches,
} from './embedding/embed-in-batches.ts';
export {
  createEmbeddingCoalescer,
  type EmbeddingCoalescer,
  type EmbeddingRequest,
} from './embedding/embedding-coalescer.ts';
export {
  type DocumentFormat,
  type DocumentSource,
  detectFormat,
  type LoadedDocument,
  loadDocument,
  type PageSpan,
  supportedFormats,
} from './loaders/index.ts';
export {
  defaultFusionWeights,
  type FusedHit,
  type FusionWeights,
  fuseRankings,
  reciprocalRankConstant,
} from './search/reciprocal-rank-fusion.ts';
export {
  type ChunkSearch,
  fusionDepth,
  type ScoredChunk,
  type SearchMode,
  searchChunks,
} from './search/search-chunks.ts';
export {
  appendDocumentEvent,
  claimDocument,
  type DocumentEvent,
  type DocumentEventType,
  deleteStagedChunks,
  type IngestionState,
  insertFirstEvents,
  type KnowledgeHoldings,
  knowledgeHoldings,
  markReady,
  pendingDocuments,
  readDocumentEvents,
  readIngestion,
  stagedEmbeddings,
  stageEmbeddings,
  updateIngestion,
} from './store/ingestion-repository.ts';
export {
  countKnowledgeBaseContents,
  deleteKnowledgeBase,
  findKnowledgeBase,
  insertKnowledgeBase,
  type KnowledgeBaseChange,
  type KnowledgeBaseCounts,
  type KnowledgeBaseRecord,
  listKnowledgeBases,
  settleEmbeddingDimensions,
  updateKnowledgeBase,
} from './store/knowledge-base-repository.ts';
export {
  type DocumentFailure,
  type DocumentStatus,
  deleteDocument,
  findDocument,
  findDocuments,
  insertDocuments,
  type KnowledgeDocumentRecord,
  listDocuments,
  type NewKnowledgeDocument,
  readyDocumentsWithExternalId,
  setDocumentStatus,
} from './store/knowledge-document-repository.ts';
