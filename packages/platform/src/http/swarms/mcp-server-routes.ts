import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toolNamePartSchema } from '../../config/index.ts';
import type { McpServerServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import {
  deletedSchema,
  mcpServerDetailSchema,
  mcpServerExample,
  mcpServerSchema,
  serializeMcpServer,
  serializeToolListing,
} from './agent-tool-serializers.ts';

const tag = 'MCP servers';
const nameParamsSchema = z.object({ name: z.string().min(1).max(64) });
const mcpServerListSchema = z
  .object({ object: z.literal('list'), data: z.array(mcpServerSchema) })
  .meta({ id: 'McpServerList' });
const mcpServerDeletedSchema = deletedSchema('mcp_server.deleted', 'McpServerDeleted');

const headerNameSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name');

const createServerSchema = z.discriminatedUnion('transport', [
  z.strictObject({
    transport: z.literal('streamable_http'),
    name: toolNamePartSchema,
    url: z.string().trim().min(1).max(2048),
    headers: z
      .record(headerNameSchema, z.string().max(8192))
      .refine((headers) => Object.keys(headers).length <= 16, 'at most 16 headers')
      .default({})
      .describe(
        'Sent with every request to the server (e.g. `Authorization`); sealed at rest, never shown again.',
      ),
    needs_approval: z.boolean().default(false),
  }),
  z.strictObject({
    transport: z.literal('stdio'),
    name: toolNamePartSchema,
    server: z
      .string()
      .min(1)
      .max(64)
      .describe('A stdio server the operator declared (`tools.mcp_stdio_servers`).'),
    needs_approval: z.boolean().default(false),
  }),
]);

/**
 * `/v1/mcp-servers`: an organisation's Model Context Protocol servers, by URL (streamable HTTP) or
 * by the name of a stdio server the operator declared (`tools.mcp_stdio_servers`). Their tools
 * appear in GET /v1/tools as `<server>__<tool>`.
 */
export function registerMcpServerRoutes(app: FastifyInstance, servers: McpServerServices): void {
  app.get(
    '/v1/mcp-servers',
    requires('tools:read', {
      operationId: 'listMcpServers',
      summary: "List the organisation's MCP servers",
      tag,
      responses: {
        200: {
          description: 'Every MCP server of the organisation.',
          schema: mcpServerListSchema,
          example: { object: 'list', data: [mcpServerExample] },
        },
      },
    }),
    async (request): Promise<z.output<typeof mcpServerListSchema>> => {
      return { object: 'list', data: (await servers.list(callerOf(request))).map(serializeMcpServer) };
    },
  );

  app.get(
    '/v1/mcp-servers/:name',
    requires('tools:read', {
      operationId: 'getMcpServer',
      summary: 'Get an MCP server with the tools it offers now',
      description:
        'The server is asked for its tools; when it cannot answer, `error` says why and `tools` is empty.',
      tag,
      params: nameParamsSchema,
      responses: {
        200: {
          description: 'The server and its tools.',
          schema: mcpServerDetailSchema,
          example: {
            ...mcpServerExample,
            tools: [
              {
                object: 'tool',
                name: 'docs__search',
                description: 'Search the documentation.',
                parameters: { type: 'object', properties: { query: { type: 'string' } } },
                needs_approval: false,
                source: 'mcp',
                server: 'docs',
              },
            ],
          },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof mcpServerDetailSchema>> => {
      const { name } = parseWith(nameParamsSchema, request.params);
      const detail = await servers.get(callerOf(request), name);
      return {
        ...serializeMcpServer(detail.server),
        tools: detail.tools.map(serializeToolListing),
        ...(detail.error !== null ? { error: detail.error } : {}),
      };
    },
  );

  app.post(
    '/v1/mcp-servers',
    requires('tools:write', {
      operationId: 'createMcpServer',
      summary: 'Add an MCP server (streamable HTTP by URL, or a declared stdio server)',
      description:
        'Its tools appear in GET /v1/tools as `<name>__<tool>`. A URL must pass the network allowlist and may not reach private addresses; a stdio server must be one the operator declared for the organisation.',
      tag,
      body: createServerSchema,
      bodyExample: {
        transport: 'streamable_http',
        name: 'docs',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer mcp-token' },
      },
      responses: {
        201: { description: 'The server.', schema: mcpServerSchema, example: mcpServerExample },
      },
      errors: [409],
    }),
    async (request, reply): Promise<z.output<typeof mcpServerSchema>> => {
      const body = parseWith(createServerSchema, request.body);
      const server = await servers.create(
        callerOf(request),
        body.transport === 'stdio'
          ? { transport: 'stdio', name: body.name, server: body.server, needsApproval: body.needs_approval }
          : {
              transport: 'streamable_http',
              name: body.name,
              url: body.url,
              headers: body.headers,
              needsApproval: body.needs_approval,
            },
      );
      reply.code(201);
      return serializeMcpServer(server);
    },
  );

  app.delete(
    '/v1/mcp-servers/:name',
    requires('tools:write', {
      operationId: 'deleteMcpServer',
      summary: 'Delete an MCP server',
      tag,
      params: nameParamsSchema,
      responses: {
        200: {
          description: 'Deleted.',
          schema: mcpServerDeletedSchema,
          example: { object: 'mcp_server.deleted', name: 'docs', deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof mcpServerDeletedSchema>> => {
      const { name } = parseWith(nameParamsSchema, request.params);
      await servers.delete(callerOf(request), name);
      return { object: 'mcp_server.deleted', name, deleted: true };
    },
  );
}
