import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createMcpServer,
  deleteMcpServer,
  findMcpServer,
  listMcpServers,
  stdioServerFor,
} from '../../agents/tools/index.ts';
import { toolNamePartSchema } from '../../config/index.ts';
import { errors } from '../../errors/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import {
  type AgentToolRouteDependencies,
  requireOwnOrganizationAdministrator,
  requireSecretBox,
} from './agent-tool-route-context.ts';
import { serializeMcpServer, serializeToolListing } from './agent-tool-serializers.ts';

const nameParamsSchema = z.object({ name: z.string().min(1).max(64) });

const headerNameSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name');

const createServerSchema = z.discriminatedUnion('transport', [
  z.strictObject({
    transport: z.literal('streamable_http'),
    name: toolNamePartSchema,
    url: z.string().trim().min(1).max(2048),
    headers: z
      .record(headerNameSchema, z.string().max(8192))
      .refine((headers) => Object.keys(headers).length <= 16, 'at most 16 headers')
      .default({}),
    needs_approval: z.boolean().default(false),
  }),
  z.strictObject({
    transport: z.literal('stdio'),
    name: toolNamePartSchema,
    server: z.string().min(1).max(64),
    needs_approval: z.boolean().default(false),
  }),
]);

/**
 * `/v1/mcp-servers`: an organisation's Model Context Protocol servers. Streamable HTTP servers are
 * given by URL (headers such as Authorization are sealed at rest and never shown again); stdio
 * servers only by the name of a server the operator declared in the config file (`tools.mcp_stdio_servers`).
 * Their tools appear in GET /v1/tools as `<server>__<tool>`.
 */
export function registerMcpServerRoutes(
  app: FastifyInstance,
  dependencies: AgentToolRouteDependencies,
): void {
  const { database, toolkit } = dependencies;

  app.get('/v1/mcp-servers', async (request) => {
    const caller = callerOf(request);
    const servers = await listMcpServers(database, caller.organizationId);
    return { object: 'list', data: servers.map(serializeMcpServer) };
  });

  app.get('/v1/mcp-servers/:name', async (request) => {
    const caller = callerOf(request);
    const { name } = parseWith(nameParamsSchema, request.params);
    const server = await findMcpServer(database, caller.organizationId, name);
    if (!server) throw errors.notFound(`The MCP server '${name}'`, 'name');
    const { tools, problems } = await toolkit.listTools(caller.organizationId);
    const problem = problems.find((candidate) => candidate.server === name);
    return {
      ...serializeMcpServer(server),
      tools: tools.filter((tool) => tool.server === name).map(serializeToolListing),
      ...(problem ? { error: problem.error } : {}),
    };
  });

  app.post('/v1/mcp-servers', async (request, reply) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const body = parseWith(createServerSchema, request.body);
    let input: { url: string | null; configuredServer: string | null; headers: Record<string, string> };
    if (body.transport === 'stdio') {
      if (!stdioServerFor(dependencies.toolsConfig().mcp_stdio_servers, body.server, caller.organizationId)) {
        throw errors.invalidRequest(
          'server',
          `'${body.server}' is not a stdio MCP server the operator made available to this organization.`,
          'Stdio servers run commands on the platform, so only the operator declares them (tools.mcp_stdio_servers in kimi.config.yaml); register a streamable_http server by URL instead.',
        );
      }
      input = { url: null, configuredServer: body.server, headers: {} };
    } else {
      const problem = await toolkit.urlProblem(caller.organizationId, body.url);
      if (problem) throw errors.invalidRequest('url', `Invalid value for 'url': ${problem}.`);
      if (Object.keys(body.headers).length > 0)
        requireSecretBox(dependencies.secretBox, 'MCP server headers');
      input = { url: body.url, configuredServer: null, headers: body.headers };
    }
    const server = await createMcpServer(database, dependencies.secretBox, {
      organizationId: caller.organizationId,
      name: body.name,
      transport: body.transport,
      needsApproval: body.needs_approval,
      ...input,
    });
    reply.code(201);
    return serializeMcpServer(server);
  });

  app.delete('/v1/mcp-servers/:name', async (request) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const { name } = parseWith(nameParamsSchema, request.params);
    if (!(await deleteMcpServer(database, caller.organizationId, name))) {
      throw errors.notFound(`The MCP server '${name}'`, 'name');
    }
    await toolkit.mcpConnections.forget(caller.organizationId, name);
    return { object: 'mcp_server.deleted', name, deleted: true };
  });
}
