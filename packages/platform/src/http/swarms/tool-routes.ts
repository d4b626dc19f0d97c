import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  argumentSchemaProblem,
  createHttpTool,
  deleteHttpTool,
  findHttpTool,
  isBuiltInToolName,
  newToolSecret,
  splitMcpToolName,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import {
  type AgentToolRouteDependencies,
  requireOwnOrganizationAdministrator,
  requireSecretBox,
} from './agent-tool-route-context.ts';
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
export function registerToolRoutes(app: FastifyInstance, dependencies: AgentToolRouteDependencies): void {
  const { database, toolkit } = dependencies;

  app.get('/v1/tools', async (request) => {
    const caller = callerOf(request);
    const { tools, problems } = await toolkit.listTools(caller.organizationId);
    return {
      object: 'list',
      data: tools.map(serializeToolListing),
      errors: problems.map((problem) => ({ server: problem.server, message: problem.error })),
    };
  });

  app.get('/v1/tools/:name', async (request) => {
    const caller = callerOf(request);
    const { name } = parseWith(nameParamsSchema, request.params);
    if (!isBuiltInToolName(name) && !splitMcpToolName(name)) {
      const record = await findHttpTool(database, caller.organizationId, name);
      if (!record) throw errors.notFound(`The tool '${name}'`, 'name');
      return serializeHttpTool(record);
    }
    const { tools } = await toolkit.listTools(caller.organizationId);
    const listing = tools.find((candidate) => candidate.definition.name === name);
    if (!listing) throw errors.notFound(`The tool '${name}'`, 'name');
    return serializeToolListing(listing);
  });

  app.post('/v1/tools', async (request, reply) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const body = parseWith(createToolSchema, request.body);
    if (isBuiltInToolName(body.name)) {
      throw errors.invalidRequest(
        'name',
        `'${body.name}' is the name of a built-in tool.`,
        'Choose another name.',
      );
    }
    const schemaProblem = argumentSchemaProblem(body.parameters);
    if (schemaProblem)
      throw errors.invalidRequest('parameters', `Invalid value for 'parameters': ${schemaProblem}.`);
    const urlProblem = await toolkit.urlProblem(caller.organizationId, body.url);
    if (urlProblem) throw errors.invalidRequest('url', `Invalid value for 'url': ${urlProblem}.`);
    const secretBox = requireSecretBox(dependencies.secretBox, 'HTTP tools');
    const secret = newToolSecret();
    const record = await createHttpTool(database, secretBox, {
      organizationId: caller.organizationId,
      name: body.name,
      description: body.description,
      url: body.url,
      parameters: body.parameters,
      needsApproval: body.needs_approval,
      secret,
    });
    reply.code(201);
    return { ...serializeHttpTool(record), secret };
  });

  app.delete('/v1/tools/:name', async (request) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const { name } = parseWith(nameParamsSchema, request.params);
    if (isBuiltInToolName(name)) {
      throw errors.invalidRequest('name', `'${name}' is a built-in tool and cannot be deleted.`);
    }
    if (!(await deleteHttpTool(database, caller.organizationId, name))) {
      throw errors.notFound(`The tool '${name}'`, 'name');
    }
    return { object: 'tool.deleted', name, deleted: true };
  });
}
