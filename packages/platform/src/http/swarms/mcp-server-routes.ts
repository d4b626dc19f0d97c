import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toolNamePartSchema } from '../../config/index.ts';
import type { McpServerServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
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
 * `/v1/mcp-servers`: an organisation's Model Context Protocol servers, by URL (streamable HTTP) or
 * by the name of a stdio server the operator declared (`tools.mcp_stdio_servers`). Their tools
 * appear in GET /v1/tools as `<server>__<tool>`.
 */
export function registerMcpServerRoutes(app: FastifyInstance, servers: McpServerServices): void {
  app.get('/v1/mcp-servers', requires('tools:read'), async (request) => {
    return { object: 'list', data: (await servers.list(callerOf(request))).map(serializeMcpServer) };
  });

  app.get('/v1/mcp-servers/:name', requires('tools:read'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    const detail = await servers.get(callerOf(request), name);
    return {
      ...serializeMcpServer(detail.server),
      tools: detail.tools.map(serializeToolListing),
      ...(detail.error !== null ? { error: detail.error } : {}),
    };
  });

  app.post('/v1/mcp-servers', requires('tools:write'), async (request, reply) => {
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
  });

  app.delete('/v1/mcp-servers/:name', requires('tools:write'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    await servers.delete(callerOf(request), name);
    return { object: 'mcp_server.deleted', name, deleted: true };
  });
}
