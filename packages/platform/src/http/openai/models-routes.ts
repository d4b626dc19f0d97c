import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors/index.ts';
import { picoUsdToDecimal } from '../../metering/index.ts';
import type { ModelDescriptor } from '../../model/index.ts';
import { type AuthContext, isModelAllowed } from '../../tenancy/index.ts';
import { anthropicModelPage, toAnthropicModel, wantsAnthropicShape } from '../anthropic/index.ts';
import { callerOf } from '../authentication.ts';
import type { RouteContext } from '../route-context.ts';
import { requires } from '../route-permission.ts';

function modelObject(context: RouteContext, id: string, descriptor: ModelDescriptor, aliases: string[]) {
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
  app.get('/v1/models', requires('models:read'), async (request) => {
    const models = visibleModels(context, callerOf(request));
    if (!wantsAnthropicShape(request.headers)) return { object: 'list', data: models };
    const anthropicModels = models.map((model) => toAnthropicModel(model.id, model.created));
    return anthropicModelPage(anthropicModels, request.query);
  });

  app.get('/v1/models/*', requires('models:read'), async (request) => {
    const id = decodeURIComponent((request.params as { '*': string })['*']);
    const found = visibleModels(context, callerOf(request)).find((entry) => entry.id === id);
    if (!found) throw errors.modelNotFound(id);
    return wantsAnthropicShape(request.headers) ? toAnthropicModel(found.id, found.created) : found;
  });
}
