export * from './admin.ts';
export { ChatResource, ChatStream, type ChatStreamOptions } from './chat.ts';
export { type FollowOptions, followEvents } from './follow-events.ts';
export {
  DocumentsResource,
  KnowledgeBasesResource,
  type UploadFile,
  type UploadOptions,
  type UploadProgress,
} from './knowledge-bases.ts';
export {
  AuditResource,
  EmbeddingsResource,
  HealthResource,
  MetricsResource,
  ModelsResource,
  UsageResource,
} from './operations.ts';
export {
  newIdempotencyKey,
  SwarmsResource,
  SwarmTemplatesResource,
  type SwarmWatchOptions,
} from './swarms.ts';
