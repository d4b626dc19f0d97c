import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerCountTokensRoute } from './count-tokens-route.ts';
import { registerMessageBatchesRoutes } from './message-batches-routes.ts';
import { registerMessagesRoute } from './messages-route.ts';

/** Anthropic's wire format: /v1/messages (JSON and SSE), /v1/messages/count_tokens and message batches. */
export function registerAnthropicRoutes(app: FastifyInstance, platform: Platform): void {
  registerMessagesRoute(app, platform);
  registerCountTokensRoute(app, platform);
  registerMessageBatchesRoutes(app, platform);
}

export {
  anthropicModelInfoSchema,
  anthropicModelListQuerySchema,
  anthropicModelPage,
  anthropicModelPageSchema,
  toAnthropicModel,
  wantsAnthropicShape,
} from './anthropic-model-list.ts';
