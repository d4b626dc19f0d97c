export {
  type AdmissionDependencies,
  type AdmissionSettings,
  createAdmission,
} from './admission/admission.ts';
export type { Admission, AdmissionRequest, Admitted } from './admission/admission-types.ts';
export { type BudgetReconciler, createBudgetReconciler } from './admission/budget-reconciler.ts';
export { createMonthlyQuota, type MonthlyQuota } from './admission/monthly-quota.ts';
export { createRequestQuotaCounter, type RequestQuotaCounter } from './admission/request-quota-counter.ts';
export {
  type AdmittedGatewayDependencies,
  admitChatGateway,
  admitEmbeddingGateway,
} from './admitted-gateways.ts';
export {
  type AttemptLoopDependencies,
  type AttemptOutcome,
  AttemptsExhausted,
  type DeploymentPolicy,
  runAttempts,
} from './attempt-loop.ts';
export { embedWith } from './cache-embedding.ts';
export {
  type CachedChatCall,
  type CachedChatGatewayDependencies,
  createCachedChatGateway,
} from './cached-chat-gateway.ts';
export {
  type ChatCall,
  type ChatContentPart,
  type ChatGateway,
  type ChatOutcome,
  type ChatQuote,
  type ChatStreamHandlers,
  createChatGateway,
  type RouteInfo,
} from './chat-gateway.ts';
export { countChatUsage } from './count-usage.ts';
export { createEmbeddingGateway, type EmbeddingCall, type EmbeddingGateway } from './embedding-gateway.ts';
export { clientClosedStatus } from './failure-status.ts';
export {
  estimatePromptTokens,
  type GatewayRouting,
  planForCaller,
  type RoutePlanInput,
} from './route-request.ts';
export { createRoutingRuntime, policyFor, type RoutingRuntime } from './routing-runtime.ts';
export type { ServedAs } from './served-as.ts';
export {
  callerAttributes,
  type TraceContentPolicy,
  traceAdmission,
  traceChatCache,
  traceChatGateway,
  traceEmbeddingGateway,
  traceMeter,
} from './traced-gateways.ts';
export {
  createUsageMeter,
  type MeteredCharge,
  type MeteredOutcome,
  type RefusedRequest,
  type UsageMeter,
} from './usage-meter.ts';
