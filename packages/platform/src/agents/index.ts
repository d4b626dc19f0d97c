export type { AgentOutcome } from './agent-loop.ts';
export { noTemplates, noTools } from './empty-resolvers.ts';
export { createModelPricing } from './model-pricing.ts';
export type { ModelPricing } from './run-context.ts';
export { followRunEvents, type RunEventFeed } from './run-event-feed.ts';
export { type CreateSwarmRequest, createSwarmRequestSchema } from './swarm-request.ts';
export {
  createSwarmRuntime,
  type SwarmRuntime,
  type SwarmRuntimeDependencies,
  type SwarmRuntimeOptions,
  type SwarmRunView,
  swarmQueueName,
} from './swarm-runtime.ts';
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
