import { createMcpServerServices, type McpServerServices } from './mcp-server-services.ts';
import {
  createNetworkAllowlistServices,
  type NetworkAllowlistServices,
} from './network-allowlist-services.ts';
import { createSwarmTemplateServices, type SwarmTemplateServices } from './swarm-template-services.ts';
import type { ToolLibraryDependencies } from './tool-library-dependencies.ts';
import { createToolServices, type ToolServices } from './tool-services.ts';

export type { McpServerDetail, McpServerServices, NewMcpServer } from './mcp-server-services.ts';
export type { NetworkAllowlistServices } from './network-allowlist-services.ts';
export type { SwarmTemplateServices, TemplateEntry } from './swarm-template-services.ts';
export type { ToolLibraryDependencies } from './tool-library-dependencies.ts';
export type { NewHttpTool, ToolLookup, ToolServices } from './tool-services.ts';

/** What agents may use, per organisation: tools, MCP servers, swarm templates, and where tools may reach. */
export interface ToolLibraryServices {
  tools: ToolServices;
  mcpServers: McpServerServices;
  templates: SwarmTemplateServices;
  networkAllowlist: NetworkAllowlistServices;
}

export function createToolLibraryServices(dependencies: ToolLibraryDependencies): ToolLibraryServices {
  return {
    tools: createToolServices(dependencies),
    mcpServers: createMcpServerServices(dependencies),
    templates: createSwarmTemplateServices(dependencies),
    networkAllowlist: createNetworkAllowlistServices(dependencies),
  };
}
