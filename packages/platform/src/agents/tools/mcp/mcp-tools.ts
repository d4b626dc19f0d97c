import type { Tool } from '../../tool-contract.ts';
import { defineTool } from '../define-tool.ts';
import { argumentSchemaProblem } from '../json-schema.ts';
import type { ToolLimits } from '../tool-limits.ts';
import type { McpConnectOptions, McpToolListing } from './mcp-connection.ts';
import type { McpConnectionPool } from './mcp-connection-pool.ts';

/** Separates the server from the tool in a model-facing name: `<server>__<tool>`. */
export const mcpNameSeparator = '__';

/** Providers accept tool names of at most 64 characters from [a-zA-Z0-9_-]. */
const maxToolNameLength = 64;

/** The model-facing name of an MCP tool: its name made safe for providers, behind the server's. */
export function mcpToolName(serverName: string, toolName: string): string {
  const safe = toolName
    .replace(/[^a-zA-Z0-9_-]/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_+|_+$/g, '');
  const room = maxToolNameLength - serverName.length - mcpNameSeparator.length;
  return `${serverName}${mcpNameSeparator}${(safe || 'tool').slice(0, room)}`;
}

/** Splits `<server>__<tool>`; null for a name without the separator. */
export function splitMcpToolName(name: string): { server: string; tool: string } | null {
  const at = name.indexOf(mcpNameSeparator);
  if (at <= 0) return null;
  return { server: name.slice(0, at), tool: name.slice(at + mcpNameSeparator.length) };
}

/** Wraps a listed MCP tool as a Tool that calls it through the pool (reconnecting when needed). */
export function toMcpTool(
  listing: McpToolListing,
  connectOptions: McpConnectOptions,
  pool: McpConnectionPool,
  limits: ToolLimits,
): Tool {
  const server = connectOptions.server;
  const usable = argumentSchemaProblem(listing.inputSchema) === null;
  return defineTool(
    {
      name: mcpToolName(server.name, listing.name),
      description: listing.description || `The tool '${listing.name}' of the MCP server '${server.name}'.`,
      parameters: usable ? listing.inputSchema : { type: 'object', additionalProperties: true },
      ...(server.needsApproval ? { needsApproval: true } : {}),
    },
    async (argumentsValue, context) => {
      const connection = await pool.connection(connectOptions);
      const outcome = await connection.callTool(listing.name, argumentsValue, {
        signal: context.signal,
        timeoutMs: limits.timeoutMs,
      });
      return outcome.isError
        ? { ok: false, error: outcome.text || 'The MCP tool reported an error.' }
        : outcome.text;
    },
    limits,
  );
}
