import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { StdioMcpServerConfig } from '../../../config/index.ts';
import type { HostResolver } from '../network/destination-guard.ts';
import { createGuardedHttpClient } from '../network/guarded-fetch.ts';
import type { NetworkAllowlist } from '../network/network-allowlist.ts';
import type { McpServerTarget } from '../stores/mcp-server-repository.ts';

/** A tool as an MCP server lists it. */
export interface McpToolListing {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** The outcome of one MCP tool call, reduced to what a model reads. */
export interface McpCallOutcome {
  isError: boolean;
  text: string;
}

/** One live session with an MCP server. */
export interface McpConnection {
  listTools(options: { signal?: AbortSignal; timeoutMs: number }): Promise<McpToolListing[]>;
  callTool(
    name: string,
    argumentsValue: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<McpCallOutcome>;
  /** True once the transport closed (the server exited or the session ended). */
  readonly closed: boolean;
  close(): Promise<void>;
}

export interface McpConnectOptions {
  /** W3C trace context of the active span, added to every request (default none). */
  traceHeaders?: () => Readonly<Record<string, string>>;
  server: McpServerTarget;
  /** The operator's stdio servers (config file); a stdio server must name one of them. */
  stdioServers: readonly StdioMcpServerConfig[];
  allowlist: NetworkAllowlist;
  resolveHost: HostResolver;
  timeoutMs: number;
  onServerLog?: (server: string, line: string) => void;
}

const clientInfo = { name: 'kimi-platform', version: '0.1.0' };

interface ContentItem {
  type: string;
  text?: string;
  mimeType?: string;
  resource?: { uri?: string; text?: string };
}

function contentToText(content: readonly ContentItem[], structured: unknown): string {
  const parts = content.map((item) => {
    if (item.type === 'text') return item.text ?? '';
    if (item.type === 'resource') return item.resource?.text ?? `[resource ${item.resource?.uri ?? ''}]`;
    if (item.type === 'resource_link') return `[resource link ${(item as { uri?: string }).uri ?? ''}]`;
    return `[${item.type} content${item.mimeType ? ` (${item.mimeType})` : ''} omitted]`;
  });
  if (parts.length === 0 && structured !== undefined) return JSON.stringify(structured);
  return parts.join('\n');
}

/** The operator's server a stdio registration names, if this organisation may use it. */
export function stdioServerFor(
  stdioServers: readonly StdioMcpServerConfig[],
  name: string,
  organizationId: string,
): StdioMcpServerConfig | null {
  const found = stdioServers.find((server) => server.name === name);
  if (!found) return null;
  if (found.organizations && !found.organizations.includes(organizationId)) return null;
  return found;
}

/**
 * Connects to an organisation's MCP server with the official SDK: streamable HTTP through the
 * SSRF-guarded fetch (the organisation's allowlist applies, every redirect hop is checked), or
 * stdio by spawning the operator's configured command.
 */
export async function connectMcpServer(options: McpConnectOptions): Promise<McpConnection> {
  const { server } = options;
  const client = new Client(clientInfo, { capabilities: {} });
  let closeExtra: () => Promise<void> = async () => {};
  let transport: StdioClientTransport | StreamableHTTPClientTransport;
  if (server.transport === 'stdio') {
    const configured = stdioServerFor(
      options.stdioServers,
      server.configuredServer ?? '',
      server.organizationId,
    );
    if (!configured)
      throw new Error(`the operator's stdio server '${server.configuredServer}' is not available`);
    const stdio = new StdioClientTransport({
      command: configured.command,
      args: configured.args,
      // The SDK adds only a minimal environment (PATH, HOME, …) to this: no platform secret leaks.
      env: configured.env,
      ...(configured.cwd ? { cwd: configured.cwd } : {}),
      stderr: 'pipe',
    });
    const stderr = stdio.stderr as Readable | null;
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) options.onServerLog?.(server.name, line);
    });
    transport = stdio;
  } else {
    const http = createGuardedHttpClient({
      allowlist: options.allowlist,
      resolveHost: options.resolveHost,
      ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
    });
    closeExtra = () => http.close();
    transport = new StreamableHTTPClientTransport(new URL(server.url ?? ''), {
      fetch: http.fetch,
      requestInit: { headers: server.headers },
      reconnectionOptions: {
        maxReconnectionDelay: 10_000,
        initialReconnectionDelay: 500,
        reconnectionDelayGrowFactor: 2,
        maxRetries: 1,
      },
    });
  }
  let closed = false;
  client.onclose = () => {
    closed = true;
  };
  try {
    await client.connect(transport, { timeout: options.timeoutMs });
  } catch (error) {
    await client.close().catch(() => {});
    await closeExtra().catch(() => {});
    throw error;
  }
  return {
    get closed() {
      return closed;
    },
    async listTools({ signal, timeoutMs }) {
      const tools: McpToolListing[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page += 1) {
        const result = await client.listTools(cursor ? { cursor } : {}, {
          timeout: timeoutMs,
          ...(signal ? { signal } : {}),
        });
        for (const tool of result.tools) {
          tools.push({
            name: tool.name,
            description: tool.description ?? tool.title ?? '',
            inputSchema: tool.inputSchema as Record<string, unknown>,
          });
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return tools;
    },
    async callTool(name, argumentsValue, { signal, timeoutMs }) {
      const result = await client.callTool({ name, arguments: argumentsValue }, undefined, {
        signal,
        timeout: timeoutMs,
      });
      const content = (Array.isArray(result.content) ? result.content : []) as ContentItem[];
      return { isError: result.isError === true, text: contentToText(content, result.structuredContent) };
    },
    async close() {
      closed = true;
      await client.close().catch(() => {});
      await closeExtra().catch(() => {});
    },
  };
}
