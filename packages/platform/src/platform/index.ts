export type {
  AuditEntry,
  AuditFilters,
  AuditLog,
  AuditPage,
  AuditVerification,
} from '../identity/audit/index.ts';
export {
  type AdministrationServices,
  type ApiKeyServices,
  announceLimitsChange,
  type BudgetServices,
  type BudgetView,
  createPlanAndBudgetServices,
  type NewApiKeyRequest,
  type OrganizationLimitsChange,
  type OrganizationPlanView,
  type OrganizationRateLimitsView,
  type OrganizationServices,
  type PlanAndBudgetDependencies,
  type PlanAndBudgetServices,
  type PlanServices,
  type ProviderKeyServices,
  type RateLimitServices,
  type WebhookServices,
} from './administration/index.ts';
export {
  type BatchCreateRequest,
  type BatchServices,
  batchCreateRequestSchema,
  type MessageBatchCreateRequest,
  type MessageBatchObject,
  messageBatchCreateRequestSchema,
  type OpenAIBatchObject,
} from './batches/index.ts';
export type { CachePolicyChange, CachePolicyView, CacheServices, CacheStatistics } from './caching/index.ts';
export { createPlatform } from './create-platform.ts';
export { type FileObject, type FileServices, uploadPurposes } from './files/index.ts';
export {
  documentBulkSchema,
  documentInputSchema,
  type KnowledgeBaseObject,
  type KnowledgeCall,
  type KnowledgeDocumentObject,
  type KnowledgeSearchResult,
  type KnowledgeServices,
  knowledgeBaseCreateSchema,
  knowledgeBaseUpdateSchema,
  listQuerySchema,
  maximumUploadWaitSeconds,
  searchRequestSchema,
  type UploadedFile,
  type UploadFields,
} from './knowledge/index.ts';
export type { Platform } from './platform.ts';
export type { PlatformPorts } from './platform-ports.ts';
export {
  type ConversationServices,
  conversationCreateRequestSchema,
  conversationItemsCreateRequestSchema,
  conversationItemsQuerySchema,
  conversationUpdateRequestSchema,
  type InputItemPage,
  type InputItemQuery,
  type ResponseCall,
  type ResponseCreateRequest,
  type ResponseObject,
  type ResponseServices,
  responseCreateRequestSchema,
  type SequencedResponseStreamEvent,
} from './responses/index.ts';
export type {
  CompletedSignIn,
  SessionRequest,
  SignInServices,
  SsoConnectionServices,
} from './sign-in/index.ts';
export type {
  McpServerDetail,
  McpServerServices,
  NetworkAllowlistServices,
  NewHttpTool,
  NewMcpServer,
  SwarmTemplateServices,
  TemplateEntry,
  ToolLibraryServices,
  ToolLookup,
  ToolServices,
} from './tool-library/index.ts';
export type { TraceContentServices } from './trace-content/index.ts';
export type { UsageReport, UsageServices } from './usage/index.ts';
