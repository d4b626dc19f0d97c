export { createAgentKnowledgeSearch } from './agent-knowledge-search.ts';
export type { DocumentEventFeed } from './document-events.ts';
export { ingestionQueue } from './ingestion-job.ts';
export {
  defaultIngestionSettings,
  type KnowledgeCall,
  type KnowledgeIngestionSettings,
  type KnowledgeServiceDependencies,
} from './knowledge-dependencies.ts';
export {
  groundChatRequest,
  type KnowledgeCitation,
  knowledgeSystemMessage,
  lastUserText,
  passageSource,
} from './knowledge-grounding.ts';
export type {
  KnowledgeBaseObject,
  KnowledgeDocumentObject,
  KnowledgeSearchHit,
  KnowledgeSearchResult,
  Page,
} from './knowledge-objects.ts';
export {
  type DocumentInput,
  defaultEmbeddingModel,
  documentBulkSchema,
  documentInputSchema,
  type KnowledgeBaseCreateRequest,
  type KnowledgeBaseUpdateRequest,
  knowledgeBaseCreateSchema,
  knowledgeBaseUpdateSchema,
  type ListQuery,
  listQuerySchema,
  maximumDocumentCharacters,
  type SearchRequest,
  searchRequestSchema,
} from './knowledge-request.ts';
export {
  createKnowledgeRetrieval,
  type KnowledgeRetrieval,
  maximumRetrievalKnowledgeBases,
  type RetrievalRequest,
  type RetrievedPassage,
} from './knowledge-retrieval.ts';
export {
  createKnowledgeServices,
  type KnowledgeServices,
  maximumUploadWaitSeconds,
  type UploadOptions,
  type UploadResult,
} from './knowledge-services.ts';
export type { UploadedFile, UploadFields } from './knowledge-uploads.ts';
export { traceKnowledgeServices } from './traced-knowledge.ts';
