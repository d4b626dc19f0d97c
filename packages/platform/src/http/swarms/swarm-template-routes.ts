import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SwarmTemplate } from '../../agents/index.ts';
import {
  builtInTemplates,
  createTemplate,
  deleteTemplate,
  findBuiltInTemplate,
  findTemplate,
  listTemplates,
  replaceTemplate,
  swarmTemplateBodySchema,
  swarmTemplateSchema,
  templateNameSchema,
} from '../../agents/templates/index.ts';
import {
  isBuiltInToolName,
  listHttpTools,
  listMcpServers,
  splitMcpToolName,
  toolErrors,
} from '../../agents/tools/index.ts';
import { errors } from '../../errors/index.ts';
import type { Queryable } from '../../storage/db/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import {
  type AgentToolRouteDependencies,
  requireOwnOrganizationAdministrator,
} from './agent-tool-route-context.ts';
import { serializeTemplate } from './agent-tool-serializers.ts';

const nameParamsSchema = z.object({ name: templateNameSchema });

/**
 * Every tool a template names must exist when it is saved: a built-in, an HTTP tool of the
 * organisation, or `<server>__<tool>` of one of its MCP servers (the server is checked, not the
 * tool, so saving a template never waits on a remote server; runs check the tool itself).
 */
async function assertTemplateTools(database: Queryable, organizationId: string, template: SwarmTemplate) {
  const httpTools = new Set((await listHttpTools(database, organizationId)).map((tool) => tool.name));
  const servers = new Set((await listMcpServers(database, organizationId)).map((server) => server.name));
  template.agents.forEach((agent, agentIndex) => {
    agent.tools.forEach((tool, toolIndex) => {
      const split = splitMcpToolName(tool);
      const known = split ? servers.has(split.server) : isBuiltInToolName(tool) || httpTools.has(tool);
      if (!known) throw toolErrors.unknownTool(tool, `agents[${agentIndex}].tools[${toolIndex}]`);
    });
  });
}

/**
 * `/v1/swarm-templates`: the agent skills library. Lists the built-ins and the organisation's own
 * templates; admins create, replace and delete their own. An organisation template may not take a
 * built-in's name (copy it under a new name to customise it); see template-resolver.ts for lookups.
 */
export function registerSwarmTemplateRoutes(
  app: FastifyInstance,
  dependencies: AgentToolRouteDependencies,
): void {
  const { database } = dependencies;

  app.get('/v1/swarm-templates', async (request) => {
    const caller = callerOf(request);
    const own = await listTemplates(database, caller.organizationId);
    return {
      object: 'list',
      data: [
        ...builtInTemplates.map((template) => serializeTemplate(template, 'built-in')),
        ...own.map((stored) => serializeTemplate(stored.template, 'organization', stored)),
      ],
    };
  });

  app.get('/v1/swarm-templates/:name', async (request) => {
    const caller = callerOf(request);
    const { name } = parseWith(nameParamsSchema, request.params);
    const own = await findTemplate(database, caller.organizationId, name);
    if (own) return serializeTemplate(own.template, 'organization', own);
    const builtIn = findBuiltInTemplate(name);
    if (!builtIn) throw errors.notFound(`The template '${name}'`, 'name');
    return serializeTemplate(builtIn, 'built-in');
  });

  app.post('/v1/swarm-templates', async (request, reply) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const template = parseWith(swarmTemplateSchema, request.body) as SwarmTemplate;
    if (findBuiltInTemplate(template.name)) {
      throw errors.invalidRequest(
        'name',
        `'${template.name}' is the name of a built-in template.`,
        'Choose another name; to customise a built-in, GET it and POST a copy under a new name.',
      );
    }
    await assertTemplateTools(database, caller.organizationId, template);
    const stored = await createTemplate(database, caller.organizationId, template);
    reply.code(201);
    return serializeTemplate(stored.template, 'organization', stored);
  });

  app.put('/v1/swarm-templates/:name', async (request) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const { name } = parseWith(nameParamsSchema, request.params);
    if (findBuiltInTemplate(name)) {
      throw errors.invalidRequest('name', `'${name}' is a built-in template and cannot be changed.`);
    }
    const body = parseWith(swarmTemplateBodySchema, request.body);
    const template = { name, ...body } as SwarmTemplate;
    await assertTemplateTools(database, caller.organizationId, template);
    const stored = await replaceTemplate(database, caller.organizationId, template);
    if (!stored) throw errors.notFound(`The template '${name}'`, 'name');
    return serializeTemplate(stored.template, 'organization', stored);
  });

  app.delete('/v1/swarm-templates/:name', async (request) => {
    const caller = callerOf(request);
    requireOwnOrganizationAdministrator(caller);
    const { name } = parseWith(nameParamsSchema, request.params);
    if (findBuiltInTemplate(name)) {
      throw errors.invalidRequest('name', `'${name}' is a built-in template and cannot be deleted.`);
    }
    if (!(await deleteTemplate(database, caller.organizationId, name))) {
      throw errors.notFound(`The template '${name}'`, 'name');
    }
    return { object: 'swarm_template.deleted', name, deleted: true };
  });
}
