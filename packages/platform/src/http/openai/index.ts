import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerBatchRoute } from './batch-route.ts';
import { registerChatCompletionsRoute } from './chat-completions-route.ts';
import { registerConversationsRoutes } from './conversations-routes.ts';
import { registerEmbeddingsRoute } from './embeddings-route.ts';
import { registerModelsRoutes } from './models-routes.ts';
import { registerResponsesRoutes } from './responses/responses-routes.ts';

/** OpenAI's wire format: chat completions, responses (JSON, SSE, WebSocket) and conversations, embeddings, batch and models. */
export function registerOpenAIRoutes(app: FastifyInstance, platform: Platform): void {
  registerChatCompletionsRoute(app, platform);
  registerResponsesRoutes(app, platform);
  registerConversationsRoutes(app, platform);
  registerEmbeddingsRoute(app, platform);
  registerBatchRoute(app, platform);
  registerModelsRoutes(app, platform);
}
