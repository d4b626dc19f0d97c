import {
  createMcpServer,
  deleteMcpServer,
  findMcpServer,
  listMcpServers,
  type McpServerRecord,
  stdioServerFor,
  type ToolListing,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { mcpServerSummary } from './audit-summaries.ts';
import { requireSecretBox, type ToolLibraryDependencies } from './tool-library-dependencies.ts';

/** A streamable HTTP server by URL, or a stdio server the operator declared in the config file. */
export type NewMcpServer =
  | {
      transport: 'streamable_http';
      name: string;
      url: string;
      headers: Record<string, string>;
      needsApproval: boolean;
    }
  | { transport: 'stdio'; name: string; server: string; needsApproval: boolean };

/** One server with the tools it offers now, and why they could not be listed when they could not. */
export interface McpServerDetail {
  server: McpServerRecord;
  tools: ToolListing[];
  error: string | null;
}

/**
 * An organisation's Model Context Protocol servers. Headers (Authorization and the like) are sealed
 * at rest and never shown again; stdio servers run commands on the platform, so an organisation may
 * only name one the operator declared for it (`tools.mcp_stdio_servers`).
 */
export interface McpServerServices {
  list(caller: AuthContext): Promise<McpServerRecord[]>;
  get(caller: AuthContext, name: string): Promise<McpServerDetail>;
  create(caller: AuthContext, input: NewMcpServer): Promise<McpServerRecord>;
  delete(caller: AuthContext, name: string): Promise<void>;
}

export function createMcpServerServices(dependencies: ToolLibraryDependencies): McpServerServices {
  const { toolkit, audit } = dependencies;
  const databaseOf = (caller: AuthContext) => dependencies.database.forOrganization(caller.organizationId);
  const missing = (name: string) => errors.notFound(`The MCP server '${name}'`, 'name');
  return {
    list: (caller) => listMcpServers(databaseOf(caller), caller.organizationId),
    async get(caller, name) {
      const server = await findMcpServer(databaseOf(caller), caller.organizationId, name);
      if (!server) throw missing(name);
      const { tools, problems } = await toolkit.listTools(caller.organizationId);
      const problem = problems.find((candidate) => candidate.server === name);
      return { server, tools: tools.filter((tool) => tool.server === name), error: problem?.error ?? null };
    },
    async create(caller, input) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      let target: { url: string | null; configuredServer: string | null; headers: Record<string, string> };
      if (input.transport === 'stdio') {
        const declared = dependencies.toolsConfig().mcp_stdio_servers;
        if (!stdioServerFor(declared, input.server, caller.organizationId)) {
          throw errors.invalidRequest(
            'server',
            `'${input.server}' is not a stdio MCP server the operator made available to this organization.`,
            'Stdio servers run commands on the platform, so only the operator declares them (tools.mcp_stdio_servers in kimi.config.yaml); register a streamable_http server by URL instead.',
          );
        }
        target = { url: null, configuredServer: input.server, headers: {} };
      } else {
        const problem = await toolkit.urlProblem(caller.organizationId, input.url);
        if (problem) throw errors.invalidRequest('url', `Invalid value for 'url': ${problem}.`);
        if (Object.keys(input.headers).length > 0) {
          requireSecretBox(dependencies.secretBox, 'MCP server headers');
        }
        target = { url: input.url, configuredServer: null, headers: input.headers };
      }
      return databaseOf(caller).transaction(async (transaction) => {
        const server = await createMcpServer(transaction, dependencies.secretBox, {
          organizationId: caller.organizationId,
          name: input.name,
          transport: input.transport,
          needsApproval: input.needsApproval,
          ...target,
        });
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'mcp_server.created',
          target: { type: 'mcp_server', id: server.name },
          before: null,
          after: mcpServerSummary(server),
        });
        return server;
      });
    },
    async delete(caller, name) {
      requirePermission(caller, 'tools:write', caller.organizationId);
      await databaseOf(caller).transaction(async (transaction) => {
        const before = await findMcpServer(transaction, caller.organizationId, name);
        if (!before || !(await deleteMcpServer(transaction, caller.organizationId, name)))
          throw missing(name);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: caller.organizationId,
          action: 'mcp_server.deleted',
          target: { type: 'mcp_server', id: name },
          before: mcpServerSummary(before),
          after: null,
        });
      });
      await toolkit.mcpConnections.forget(caller.organizationId, name);
    },
  };
}
