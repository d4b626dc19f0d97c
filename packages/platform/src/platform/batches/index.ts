export {
  type BatchExecution,
  type BatchExecutionDependencies,
  type BatchExecutionSettings,
  batchLinePriority,
  batchLineQueue,
  createBatchExecution,
} from './batch-execution.ts';
export type { BatchListQuery } from './batch-repository.ts';
export {
  type BatchCreateRequest,
  batchCreateRequestSchema,
  type MessageBatchCreateRequest,
  messageBatchCreateRequestSchema,
} from './batch-requests.ts';
export {
  type BatchPage,
  type BatchServiceDependencies,
  type BatchServices,
  createBatchServices,
} from './batch-services.ts';
export type { MessageBatchObject } from './message-batch-object.ts';
export type { OpenAIBatchObject } from './openai-batch-object.ts';
