import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { registerAgentToolRoutes } from './agent-tool-routes.ts';
import { registerSwarmRoutes } from './swarm-routes.ts';

export { approvalSchema, swarmListQuerySchema } from './swarm-routes.ts';
export { serializeRun, serializeRunSummary } from './swarm-serializers.ts';

/** Agent swarms (runs, events over SSE and WebSocket, approvals) and their tools, MCP servers and templates. */
export async function registerSwarmSurface(app: FastifyInstance, platform: Platform): Promise<void> {
  await registerSwarmRoutes(app, { runtime: platform.swarms, callerOf });
  registerAgentToolRoutes(app, platform.toolLibrary);
}
