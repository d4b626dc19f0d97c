import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SwarmTemplate } from '../../agents/index.ts';
import {
  swarmTemplateBodySchema,
  swarmTemplateSchema,
  templateNameSchema,
} from '../../agents/templates/index.ts';
import type { SwarmTemplateServices, TemplateEntry } from '../../platform/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import { requires } from '../route-permission.ts';
import { serializeTemplate } from './agent-tool-serializers.ts';

const nameParamsSchema = z.object({ name: templateNameSchema });

function serializeEntry(entry: TemplateEntry) {
  return entry.source === 'built-in'
    ? serializeTemplate(entry.template, 'built-in')
    : serializeTemplate(entry.template, 'organization', entry.stored);
}

/**
 * `/v1/swarm-templates`: the agent skills library — the built-ins and the organisation's own
 * templates, which admins create, replace and delete.
 */
export function registerSwarmTemplateRoutes(app: FastifyInstance, templates: SwarmTemplateServices): void {
  app.get('/v1/swarm-templates', requires('tools:read'), async (request) => {
    return { object: 'list', data: (await templates.list(callerOf(request))).map(serializeEntry) };
  });

  app.get('/v1/swarm-templates/:name', requires('tools:read'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    return serializeEntry(await templates.get(callerOf(request), name));
  });

  app.post('/v1/swarm-templates', requires('tools:write'), async (request, reply) => {
    const template = parseWith(swarmTemplateSchema, request.body) as SwarmTemplate;
    const stored = await templates.create(callerOf(request), template);
    reply.code(201);
    return serializeTemplate(stored.template, 'organization', stored);
  });

  app.put('/v1/swarm-templates/:name', requires('tools:write'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    const body = parseWith(swarmTemplateBodySchema, request.body);
    const stored = await templates.replace(callerOf(request), { name, ...body } as SwarmTemplate);
    return serializeTemplate(stored.template, 'organization', stored);
  });

  app.delete('/v1/swarm-templates/:name', requires('tools:write'), async (request) => {
    const { name } = parseWith(nameParamsSchema, request.params);
    await templates.delete(callerOf(request), name);
    return { object: 'swarm_template.deleted', name, deleted: true };
  });
}
