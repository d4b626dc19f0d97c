import type { FastifyInstance } from 'fastify';
import type { AgentToolRouteDependencies } from './agent-tool-route-context.ts';
import { registerMcpServerRoutes } from './mcp-server-routes.ts';
import { registerSwarmTemplateRoutes } from './swarm-template-routes.ts';
import { registerToolRoutes } from './tool-routes.ts';

export type { AgentToolRouteDependencies } from './agent-tool-route-context.ts';

/** Agent tools, MCP servers, swarm templates and the tool network allowlist; all authenticated. */
export function registerAgentToolRoutes(
  app: FastifyInstance,
  dependencies: AgentToolRouteDependencies,
): void {
  registerToolRoutes(app, dependencies);
  registerMcpServerRoutes(app, dependencies);
  registerSwarmTemplateRoutes(app, dependencies);
}
