import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ToolServices } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeHttpTool, serializeToolListing } from './agent-tool-serializers.ts';

/** Tool names as providers accept them, without `__` (that separates MCP servers from their tools). */
const toolNameSchema = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9-]*(_[a-zA-Z0-9-]+)*$/,
    'must start with a letter and use letters, digits, dashes and single underscores',
  )
  .max(64);

const nameParamsSchema = z.object({ name: z.string().min(1).max(200) });

const createToolSchema = z.strictObject({
  name: toolNameSchema,
  description: z.string().trim().min(1).max(4000),
  url: z.string().trim().min(1).max(2048),
  parameters: z.record(z.string(), z.unknown()),
  needs_approval: z.boolean().default(false),
});

/**
 * `/v1/tools`: every key lists and reads its organisation's tools (built-ins, HTTP tools, MCP
 * tools); an admin key registers and deletes the organisation's HTTP tools. The signing secret is
 * returned once, at creation.
 */
export function registerToolRoutes(app: FastifyInstance, tools: ToolServices): void {
  app.get('/v1/tools', requires('tools:read'), async (request) => {
    const { tools: listings, problems } = await tools.list(callerOf(request));
    return {
      object: 'list',
      data: listings.map(serializeToolListing),
      errors: problems.map((problem) => ({ server: problem.server, message: problem.error })),
    };
  });

  app.get('/v1/tools/:name', requires('tools:read'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    const found = await tools.get(callerOf(request), name);
    return found.kind === 'http' ? serializeHttpTool(found.record) : serializeToolListing(found.listing);
  });

  app.post('/v1/tools', requires('tools:write'), async (request, reply) => {
    const body = parseWith(createToolSchema, request.body);
    const { record, secret } = await tools.create(callerOf(request), {
      name: body.name,
      description: body.description,
      url: body.url,
      parameters: body.parameters,
      needsApproval: body.needs_approval,
    });
    reply.code(201);
    return { ...serializeHttpTool(record), secret };
  });

  app.delete('/v1/tools/:name', requires('tools:write'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    await tools.delete(callerOf(request), name);
    return { object: 'tool.deleted', name, deleted: true };
  });
}
