/**
 * The OpenAI and Anthropic wire formats as pure conversions: request schemas, the conversion of a
 * body into a gateway request, and of a result into the wire object. HTTP routes and background
 * services (batches) share them, so a line of a batch is read exactly like an interactive call.
 */
export {
  type AnthropicErrorBody,
  type AnthropicErrorType,
  anthropicErrorType,
  toAnthropicErrorBody,
} from './anthropic/anthropic-error.ts';
export { convertMessagesRequest, convertPrompt } from './anthropic/convert-messages-request.ts';
export {
  type CountTokensRequestBody,
  countTokensRequestSchema,
  type MessagesRequestBody,
  messagesRequestSchema,
} from './anthropic/messages-request.ts';
export {
  type AnthropicContentBlock,
  type AnthropicMessageObject,
  type AnthropicStopReason,
  type AnthropicUsage,
  messageId,
  toAnthropicMessage,
  toAnthropicUsage,
  toStopReason,
  toThinkingBlocks,
  toToolInput,
} from './anthropic/messages-response.ts';
export {
  defaultKnowledgeTopK,
  type KnowledgeExtension,
  knowledgeExtensionSchema,
  maximumGroundingKnowledgeBases,
} from './knowledge-extension.ts';
export {
  type ChatCompletionRequestBody,
  chatCompletionRequestSchema,
  type OpenAIMessage,
} from './openai/chat-completion-request.ts';
export {
  type ChunkContext,
  type OpenAIUsage,
  toChatCompletion,
  toChatCompletionChunks,
  toOpenAIUsage,
  toUsageChunk,
} from './openai/chat-completion-response.ts';
export { convertChatRequest } from './openai/convert-chat-request.ts';
export {
  type EmbeddingRequestBody,
  embeddingRequestSchema,
  encodeEmbeddingBase64,
  toEmbeddingList,
} from './openai/embedding-request.ts';
export { parseWith } from './parse-body.ts';
