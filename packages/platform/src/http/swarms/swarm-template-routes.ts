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
import {
  deletedSchema,
  serializeTemplate,
  swarmTemplateExample,
  swarmTemplateObjectSchema,
} from './agent-tool-serializers.ts';

const tag = 'Swarm templates';
const nameParamsSchema = z.object({ name: templateNameSchema });
const templateListSchema = z
  .object({ object: z.literal('list'), data: z.array(swarmTemplateObjectSchema) })
  .meta({ id: 'SwarmTemplateList' });
const templateDeletedSchema = deletedSchema('swarm_template.deleted', 'SwarmTemplateDeleted');
const templateBodyExample = {
  description: swarmTemplateExample.description,
  agents: swarmTemplateExample.agents,
};

function serializeEntry(entry: TemplateEntry): z.output<typeof swarmTemplateObjectSchema> {
  return entry.source === 'built-in'
    ? serializeTemplate(entry.template, 'built-in')
    : serializeTemplate(entry.template, 'organization', entry.stored);
}

/**
 * `/v1/swarm-templates`: the agent skills library — the built-ins and the organisation's own
 * templates, which admins create, replace and delete.
 */
export function registerSwarmTemplateRoutes(app: FastifyInstance, templates: SwarmTemplateServices): void {
  app.get(
    '/v1/swarm-templates',
    requires('tools:read', {
      operationId: 'listSwarmTemplates',
      summary: "List the swarm templates: the built-ins and the organisation's own",
      tag,
      responses: {
        200: {
          description: 'Every template the organisation can run.',
          schema: templateListSchema,
          example: { object: 'list', data: [swarmTemplateExample] },
        },
      },
    }),
    async (request): Promise<z.output<typeof templateListSchema>> => {
      return { object: 'list', data: (await templates.list(callerOf(request))).map(serializeEntry) };
    },
  );

  app.get(
    '/v1/swarm-templates/:name',
    requires('tools:read', {
      operationId: 'getSwarmTemplate',
      summary: 'Get a swarm template',
      tag,
      params: nameParamsSchema,
      responses: {
        200: {
          description: 'The template.',
          schema: swarmTemplateObjectSchema,
          example: swarmTemplateExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { name } = parseWith(nameParamsSchema, request.params);
      return serializeEntry(await templates.get(callerOf(request), name));
    },
  );

  app.post(
    '/v1/swarm-templates',
    requires('tools:write', {
      operationId: 'createSwarmTemplate',
      summary: 'Create an organisation swarm template',
      description:
        "Roles are unique, `depends_on` names other roles of the template without cycles, and the name may not be a built-in's.",
      tag,
      body: swarmTemplateSchema,
      bodyExample: { name: swarmTemplateExample.name, ...templateBodyExample },
      responses: {
        201: {
          description: 'The template.',
          schema: swarmTemplateObjectSchema,
          example: swarmTemplateExample,
        },
      },
      errors: [409],
    }),
    async (request, reply) => {
      const template = parseWith(swarmTemplateSchema, request.body) as SwarmTemplate;
      const stored = await templates.create(callerOf(request), template);
      reply.code(201);
      return serializeTemplate(stored.template, 'organization', stored);
    },
  );

  app.put(
    '/v1/swarm-templates/:name',
    requires('tools:write', {
      operationId: 'replaceSwarmTemplate',
      summary: 'Replace an organisation swarm template',
      description:
        'The whole template but its name (the path names it). Built-in templates cannot be replaced.',
      tag,
      params: nameParamsSchema,
      body: swarmTemplateBodySchema,
      bodyExample: templateBodyExample,
      responses: {
        200: {
          description: 'The template as replaced.',
          schema: swarmTemplateObjectSchema,
          example: swarmTemplateExample,
        },
      },
      errors: [404],
    }),
    async (request) => {
      const { name } = parseWith(nameParamsSchema, request.params);
      const body = parseWith(swarmTemplateBodySchema, request.body);
      const stored = await templates.replace(callerOf(request), { name, ...body } as SwarmTemplate);
      return serializeTemplate(stored.template, 'organization', stored);
    },
  );

  app.delete(
    '/v1/swarm-templates/:name',
    requires('tools:write', {
      operationId: 'deleteSwarmTemplate',
      summary: 'Delete an organisation swarm template',
      tag,
      params: nameParamsSchema,
      responses: {
        200: {
          description: 'Deleted.',
          schema: templateDeletedSchema,
          example: { object: 'swarm_template.deleted', name: swarmTemplateExample.name, deleted: true },
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof templateDeletedSchema>> => {
      const { name } = parseWith(nameParamsSchema, request.params);
      await templates.delete(callerOf(request), name);
      return { object: 'swarm_template.deleted', name, deleted: true };
    },
  );
}
