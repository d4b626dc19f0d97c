export {
  type AgentToolkit,
  type AgentToolkitOptions,
  createAgentToolkit,
  type ToolListing,
  type ToolListingProblem,
  type ToolSource,
} from './agent-toolkit.ts';
export { builtInToolNames, isBuiltInToolName } from './built-in/built-in-tools.ts';
export {
  type KnowledgePassage,
  type KnowledgeSearch,
  type KnowledgeSearchOutcome,
  type KnowledgeSearchRequest,
  noKnowledgeSearch,
  passageCitation,
} from './built-in/knowledge-search-tool.ts';
export { defineTool, type ExecutorOutput, type ToolExecutor } from './define-tool.ts';
export { argumentSchemaProblem } from './json-schema.ts';
export { stdioServerFor } from './mcp/mcp-connection.ts';
export { mcpNameSeparator, mcpToolName, splitMcpToolName } from './mcp/mcp-tools.ts';
export {
  type HostResolver,
  type ResolvedAddress,
  systemHostResolver,
} from './network/destination-guard.ts';
export { createGuardedHttpClient, type GuardedHttpClient } from './network/guarded-fetch.ts';
export {
  allowlistEntryProblem,
  createNetworkAllowlist,
  emptyAllowlist,
  type NetworkAllowlist,
} from './network/network-allowlist.ts';
export { urlDestinationProblem } from './network/url-destination.ts';
export { idempotencyKeyHeader, toolNameHeader, toolUrlProblem } from './organization-http-tool.ts';
export {
  createHttpTool,
  deleteHttpTool,
  findHttpTool,
  type HttpToolRecord,
  listHttpTools,
  newToolSecret,
} from './stores/http-tool-repository.ts';
export {
  createMcpServer,
  deleteMcpServer,
  findMcpServer,
  listMcpServers,
  type McpServerRecord,
  type McpTransportKind,
} from './stores/mcp-server-repository.ts';
export { readNetworkAllowlist, writeNetworkAllowlist } from './stores/network-allowlist-repository.ts';
export { toolErrors } from './tool-errors.ts';
export { defaultToolLimits, type ToolLimits } from './tool-limits.ts';
