export {
  type ChatCall,
  type ChatContentPart,
  type ChatGateway,
  type ChatOutcome,
  type ChatStreamHandlers,
  createChatGateway,
} from './chat-gateway.ts';
export { countChatUsage } from './count-usage.ts';
export { createEmbeddingGateway, type EmbeddingCall, type EmbeddingGateway } from './embedding-gateway.ts';
export { clientClosedStatus } from './failure-status.ts';
export { resolveForCaller } from './resolve-for-caller.ts';
export {
  createUsageMeter,
  type MeteredOutcome,
  type RefusedRequest,
  type UsageMeter,
} from './usage-meter.ts';
