import type { FastifyInstance } from 'fastify';
import type { ToolLibraryServices } from '../../platform/index.ts';
import { registerMcpServerRoutes } from './mcp-server-routes.ts';
import { registerSwarmTemplateRoutes } from './swarm-template-routes.ts';
import { registerToolRoutes } from './tool-routes.ts';

/** Agent tools, MCP servers and swarm templates; all authenticated. */
export function registerAgentToolRoutes(app: FastifyInstance, library: ToolLibraryServices): void {
  registerToolRoutes(app, library.tools);
  registerMcpServerRoutes(app, library.mcpServers);
  registerSwarmTemplateRoutes(app, library.templates);
}
