import type { ToolsConfig } from '../../config/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import type { Tool, ToolDefinition, ToolResolveOptions, ToolResolver } from '../tool-contract.ts';
import { builtInToolNames, createBuiltInTool } from './built-in/built-in-tools.ts';
import { type KnowledgeSearch, noKnowledgeSearch } from './built-in/knowledge-search-tool.ts';
import type { McpConnectOptions } from './mcp/mcp-connection.ts';
import { createMcpConnectionPool, type McpConnectionPool } from './mcp/mcp-connection-pool.ts';
import { mcpToolName, splitMcpToolName, toMcpTool } from './mcp/mcp-tools.ts';
import { type HostResolver, systemHostResolver } from './network/destination-guard.ts';
import { describeFetchFailure } from './network/guarded-fetch.ts';
import { createNetworkAllowlist, type NetworkAllowlist } from './network/network-allowlist.ts';
import { urlDestinationProblem } from './network/url-destination.ts';
import { createOrganizationHttpTool, toolUrlProblem } from './organization-http-tool.ts';
import { listHttpTools, loadHttpToolTargets } from './stores/http-tool-repository.ts';
import {
  findMcpServerTarget,
  listMcpServerTargets,
  type McpServerTarget,
} from './stores/mcp-server-repository.ts';
import { readNetworkAllowlist } from './stores/network-allowlist-repository.ts';
import { toolErrors } from './tool-errors.ts';
import type { ToolLimits } from './tool-limits.ts';

export type ToolSource = 'built-in' | 'http' | 'mcp';

/** A tool as GET /v1/tools lists it. */
export interface ToolListing {
  definition: ToolDefinition;
  source: ToolSource;
  /** For MCP tools: the server that provides it. */
  server?: string;
}

/** An MCP server whose tools could not be listed, and why. */
export interface ToolListingProblem {
  server: string;
  error: string;
}

export interface AgentToolkitOptions {
  database: Database;
  /** Opens HTTP tool secrets and MCP headers; null without a master key (then none can exist). */
  secretBox: SecretBox | null;
  clock: Clock;
  /** The `tools:` section of the config in force (read per call, so a reload applies). */
  config: () => ToolsConfig;
  /** DNS for the SSRF guard; default the system resolver. */
  resolveHost?: HostResolver;
  /** The RAG seam behind `knowledge_search`; default: no knowledge base configured. */
  knowledgeSearch?: KnowledgeSearch;
  onServerLog?: (server: string, line: string) => void;
  /** W3C trace context of the active span, added to every request (default none). */
  traceHeaders?: () => Readonly<Record<string, string>>;
}

/** Tools for agents: the resolver the runtime uses, the listing the API shows, the MCP sessions. */
export interface AgentToolkit {
  readonly toolResolver: ToolResolver;
  listTools(organizationId: string): Promise<{ tools: ToolListing[]; problems: ToolListingProblem[] }>;
  /** The organisation's allowlist in force. */
  allowlistOf(organizationId: string): Promise<NetworkAllowlist>;
  /**
   * Why the organisation may not register `url` for an HTTP tool or MCP server (https, or http to
   * an allowlisted host; never a non-public address unless allowlisted, also after resolving it);
   * null when it may.
   */
  urlProblem(organizationId: string, url: string): Promise<string | null>;
  readonly mcpConnections: McpConnectionPool;
  close(): Promise<void>;
}

/** Why a connection failed, with the SSRF guard's refusal when that was the cause (fetch hides it as 'fetch failed'). */
function messageOf(error: unknown): string {
  return error instanceof Error ? describeFetchFailure(error) : String(error);
}

/**
 * Builds every tool an organisation can use: the built-ins, its HTTP tools and the tools of its MCP
 * servers (named `<server>__<tool>`). Unknown names are a 400 naming the entry (`tools[i]`).
 */
export function createAgentToolkit(options: AgentToolkitOptions): AgentToolkit {
  const resolveHost = options.resolveHost ?? systemHostResolver;
  const knowledgeSearch = options.knowledgeSearch ?? noKnowledgeSearch;
  const initial = options.config();
  const pool = createMcpConnectionPool({
    maxConnections: initial.mcp.max_connections,
    idleTimeoutMs: initial.mcp.idle_timeout_ms,
    now: () => options.clock.now(),
  });

  const limitsOf = (config: ToolsConfig): ToolLimits => ({
    timeoutMs: config.timeout_ms,
    maxOutputCharacters: config.max_output_characters,
  });

  async function allowlistOf(organizationId: string): Promise<NetworkAllowlist> {
    return createNetworkAllowlist((await readNetworkAllowlist(options.database, organizationId)) ?? []);
  }

  function connectOptions(
    server: McpServerTarget,
    allowlist: NetworkAllowlist,
    config: ToolsConfig,
  ): McpConnectOptions {
    return {
      server,
      stdioServers: config.mcp_stdio_servers,
      allowlist,
      resolveHost,
      timeoutMs: config.timeout_ms,
      ...(options.onServerLog ? { onServerLog: options.onServerLog } : {}),
      ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
    };
  }

  function builtIn(
    name: string,
    allowlist: NetworkAllowlist,
    config: ToolsConfig,
    resolveOptions: ToolResolveOptions = {},
  ): Tool | null {
    return createBuiltInTool(name, {
      clock: options.clock,
      allowlist,
      resolveHost,
      knowledgeSearch,
      ...(resolveOptions.knowledgeBases ? { knowledgeBases: resolveOptions.knowledgeBases } : {}),
      maxResponseBytes: config.http.max_response_bytes,
      maxRedirects: config.http.max_redirects,
      limits: limitsOf(config),
      ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
    });
  }

  async function resolveMcpTools(
    organizationId: string,
    serverName: string,
    wanted: { name: string; index: number }[],
    allowlist: NetworkAllowlist,
    config: ToolsConfig,
    found: Map<string, Tool>,
  ): Promise<void> {
    const server = await findMcpServerTarget(options.database, options.secretBox, organizationId, serverName);
    if (!server) throw toolErrors.unknownTool(wanted[0]!.name, `tools[${wanted[0]!.index}]`);
    const connect = connectOptions(server, allowlist, config);
    let listings: Awaited<ReturnType<McpConnectionPool['tools']>>;
    try {
      listings = await pool.tools(connect);
    } catch (error) {
      throw toolErrors.mcpServerUnavailable(serverName, messageOf(error));
    }
    for (const entry of wanted) {
      const listing = listings.find((candidate) => mcpToolName(server.name, candidate.name) === entry.name);
      if (!listing) throw toolErrors.unknownTool(entry.name, `tools[${entry.index}]`);
      found.set(entry.name, toMcpTool(listing, connect, pool, limitsOf(config)));
    }
  }

  const toolResolver: ToolResolver = {
    async resolve(organizationId, names, resolveOptions) {
      const config = options.config();
      const allowlist = await allowlistOf(organizationId);
      const found = new Map<string, Tool>();
      const httpNames: { name: string; index: number }[] = [];
      const mcpNames = new Map<string, { name: string; index: number }[]>();
      names.forEach((name, index) => {
        if (found.has(name)) return;
        const tool = builtIn(name, allowlist, config, resolveOptions);
        if (tool) {
          found.set(name, tool);
          return;
        }
        const split = splitMcpToolName(name);
        if (split) mcpNames.set(split.server, [...(mcpNames.get(split.server) ?? []), { name, index }]);
        else httpNames.push({ name, index });
      });
      if (httpNames.length > 0) {
        const targets = options.secretBox
          ? await loadHttpToolTargets(
              options.database,
              options.secretBox,
              organizationId,
              httpNames.map((entry) => entry.name),
            )
          : [];
        for (const entry of httpNames) {
          const target = targets.find((candidate) => candidate.name === entry.name);
          if (!target) throw toolErrors.unknownTool(entry.name, `tools[${entry.index}]`);
          found.set(
            entry.name,
            createOrganizationHttpTool(
              target,
              {
                allowlist,
                resolveHost,
                clock: options.clock,
                maxResponseBytes: config.http.max_response_bytes,
                ...(options.traceHeaders ? { traceHeaders: options.traceHeaders } : {}),
              },
              limitsOf(config),
            ),
          );
        }
      }
      for (const [serverName, wanted] of mcpNames) {
        await resolveMcpTools(organizationId, serverName, wanted, allowlist, config, found);
      }
      return [...new Set(names)].map((name) => found.get(name)!);
    },
  };

  return {
    toolResolver,
    allowlistOf,
    async urlProblem(organizationId, url) {
      const allowlist = await allowlistOf(organizationId);
      return toolUrlProblem(url, allowlist) ?? (await urlDestinationProblem(url, { allowlist, resolveHost }));
    },
    mcpConnections: pool,
    async listTools(organizationId) {
      const config = options.config();
      const allowlist = await allowlistOf(organizationId);
      const tools: ToolListing[] = builtInToolNames.map((name) => ({
        definition: builtIn(name, allowlist, config)!.definition,
        source: 'built-in',
      }));
      for (const record of await listHttpTools(options.database, organizationId)) {
        tools.push({
          definition: {
            name: record.name,
            description: record.description,
            parameters: record.parameters,
            ...(record.needsApproval ? { needsApproval: true } : {}),
          },
          source: 'http',
        });
      }
      const problems: ToolListingProblem[] = [];
      const servers = await listMcpServerTargets(options.database, options.secretBox, organizationId);
      await Promise.all(
        servers.map(async (server) => {
          try {
            const connect = connectOptions(server, allowlist, config);
            for (const listing of await pool.tools(connect)) {
              tools.push({
                definition: toMcpTool(listing, connect, pool, limitsOf(config)).definition,
                source: 'mcp',
                server: server.name,
              });
            }
          } catch (error) {
            problems.push({ server: server.name, error: messageOf(error) });
          }
        }),
      );
      const order = (listing: ToolListing) => ['built-in', 'http', 'mcp'].indexOf(listing.source);
      tools.sort(
        (left, right) =>
          order(left) - order(right) || left.definition.name.localeCompare(right.definition.name),
      );
      problems.sort((left, right) => left.server.localeCompare(right.server));
      return { tools, problems };
    },
    close: () => pool.close(),
  };
}
