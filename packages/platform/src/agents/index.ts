export { type CreateSwarmRequest, createSwarmRequestSchema } from './api/swarm-request.ts';
export {
  createSwarmRuntime,
  type SwarmRunCreation,
  type SwarmRuntime,
  type SwarmRuntimeDependencies,
  type SwarmRuntimeOptions,
  type SwarmRunView,
  swarmQueueName,
} from './api/swarm-runtime.ts';
export { noTemplates, noTools } from './empty-resolvers.ts';
export type { AgentOutcome } from './runtime/agent-loop.ts';
export { createModelPricing } from './runtime/model-pricing.ts';
export type { ModelPricing } from './runtime/run-context.ts';
export { followRunEvents, type RunEventFeed } from './store/run-event-feed.ts';
export { readEvents as readRunEvents } from './store/swarm-event-log.ts';
export type { SwarmObserver } from './store/swarm-observer.ts';
export type {
  PlannedSubtask,
  SwarmEvent,
  SwarmEventType,
  SwarmPlan,
  SwarmRunRecord,
  SwarmRunStatus,
  SwarmStepRecord,
} from './swarm-types.ts';
export type {
  SwarmTemplate,
  TemplateResolver,
  Tool,
  ToolDefinition,
  ToolExecutionContext,
  ToolResolver,
  ToolResult,
} from './tool-contract.ts';
