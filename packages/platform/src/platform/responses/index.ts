export { backgroundResponseQueue } from './background-responses.ts';
export type { ConversationItem } from './conversation-repository.ts';
export {
  type ConversationCreateRequest,
  type ConversationItemsQuery,
  conversationCreateRequestSchema,
  conversationItemsCreateRequestSchema,
  conversationItemsQuerySchema,
  conversationUpdateRequestSchema,
} from './conversation-request.ts';
export {
  type ConversationItemPage,
  type ConversationObject,
  type ConversationServiceDependencies,
  type ConversationServices,
  createConversationServices,
} from './conversation-services.ts';
export type { InputItemPage, InputItemQuery } from './response-input-items.ts';
export type {
  FunctionCallItem,
  OutputItem,
  OutputMessageItem,
  ResponseObject,
  ResponseUsage,
  StoredInputItem,
} from './response-object.ts';
export {
  type ResponseCreateRequest,
  type ResponseInputItem,
  responseCreateRequestSchema,
} from './response-request.ts';
export { type RetentionSweep, startRetentionSweep } from './response-retention.ts';
export {
  createResponseServices,
  type ResponseCall,
  type ResponseServiceDependencies,
  type ResponseServices,
  type ResponseStreamHandlers,
  type StreamedResponse,
} from './response-services.ts';
export type { ResponseStreamEvent, SequencedResponseStreamEvent } from './response-stream-events.ts';
