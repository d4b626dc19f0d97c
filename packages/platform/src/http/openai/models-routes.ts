import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { errors } from '../../errors/index.ts';
import { picoUsdToDecimal } from '../../metering/index.ts';
import type { ModelDescriptor } from '../../model/index.ts';
import { type AuthContext, isModelAllowed } from '../../tenancy/index.ts';
import {
  anthropicModelListQuerySchema,
  anthropicModelPage,
  toAnthropicModel,
  wantsAnthropicShape,
} from '../anthropic/index.ts';
import { callerOf } from '../authentication.ts';
import { parseWith } from '../parse-body.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';
import {
  type ModelObject,
  modelExample,
  modelHeadersSchema,
  modelListOrPageSchema,
  modelOrAnthropicModelSchema,
  modelParamsSchema,
} from './model-schemas.ts';

const tag = 'OpenAI: models';

function modelObject(
  context: RouteContext,
  id: string,
  descriptor: ModelDescriptor,
  aliases: string[],
): ModelObject {
  const price = context.prices.priceFor(descriptor.id);
  return {
    id,
    object: 'model' as const,
    created: context.startedAtSeconds,
    owned_by: descriptor.provider,
    kimi: {
      ...(id === descriptor.id ? { aliases } : { alias_for: descriptor.id }),
      provider: descriptor.provider,
      kind: descriptor.kind,
      simulated: descriptor.simulated,
      context_window: descriptor.contextWindow,
      max_output_tokens: descriptor.maxOutputTokens,
      capabilities: descriptor.capabilities,
      ...(descriptor.dimensions === undefined ? {} : { dimensions: descriptor.dimensions }),
      // Metered at zero cost; budgets do not limit what it spends upstream.
      unpriced: price === null,
      pricing: price
        ? {
            currency: 'USD',
            unit: 'per_million_tokens',
            input: picoUsdToDecimal(price.inputPicoUsd * 1_000_000n),
            output: picoUsdToDecimal(price.outputPicoUsd * 1_000_000n),
            cached_input: picoUsdToDecimal(price.cachedInputPicoUsd * 1_000_000n),
            version: context.prices.version,
          }
        : null,
    },
  };
}

function visibleModels(context: RouteContext, caller: AuthContext) {
  const entries = [];
  for (const { descriptor, aliases } of context.catalog.list()) {
    if (isModelAllowed(caller, descriptor.id, descriptor.id)) {
      entries.push(modelObject(context, descriptor.id, descriptor, aliases));
    }
    for (const alias of aliases) {
      if (isModelAllowed(caller, alias, descriptor.id))
        entries.push(modelObject(context, alias, descriptor, []));
    }
  }
  return entries;
}

/**
 * GET /v1/models and GET /v1/models/{id} (ids contain a slash, so the route takes the rest of the
 * path). Called with `anthropic-version`, as Anthropic's clients call it, they answer in
 * Anthropic's shape (`type: "model"`, `display_name`, `created_at`; pages with `has_more`).
 */
export function registerModelsRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/v1/models',
    requires('models:read', {
      operationId: 'listModels',
      summary: 'List the models the caller may use',
      description: [
        "OpenAI's `list` of model objects with the platform's `kimi` details (kind, capabilities,",
        'pricing, aliases). With `anthropic-version` it answers as Anthropic does: a page of',
        '`type: "model"` objects, `limit` (default 20) and an `after_id` or `before_id` cursor.',
      ].join(' '),
      tag,
      headers: modelHeadersSchema,
      query: anthropicModelListQuerySchema,
      responses: {
        200: {
          description: "The models (OpenAI's list, or Anthropic's page with `anthropic-version`).",
          schema: modelListOrPageSchema,
          example: { object: 'list', data: [modelExample] },
        },
      },
    }),
    async (request): Promise<z.output<typeof modelListOrPageSchema>> => {
      const models = visibleModels(context, callerOf(request));
      if (!wantsAnthropicShape(request.headers)) return { object: 'list', data: models };
      const anthropicModels = models.map((model) => toAnthropicModel(model.id, model.created));
      return anthropicModelPage(anthropicModels, request.query);
    },
  );

  app.get(
    '/v1/models/*',
    requires('models:read', {
      operationId: 'getModel',
      summary: 'Get a model',
      description: "With `anthropic-version`, in Anthropic's shape.",
      tag,
      params: modelParamsSchema,
      headers: modelHeadersSchema,
      responses: {
        200: {
          description: "The model (Anthropic's shape with `anthropic-version`).",
          schema: modelOrAnthropicModelSchema,
          example: modelExample,
        },
      },
      errors: [404],
    }),
    async (request): Promise<z.output<typeof modelOrAnthropicModelSchema>> => {
      const { model } = parseWith(modelParamsSchema, { model: (request.params as { '*': string })['*'] });
      const id = decodeURIComponent(model);
      const found = visibleModels(context, callerOf(request)).find((entry) => entry.id === id);
      if (!found) throw errors.modelNotFound(id);
      return wantsAnthropicShape(request.headers) ? toAnthropicModel(found.id, found.created) : found;
    },
  );
}
