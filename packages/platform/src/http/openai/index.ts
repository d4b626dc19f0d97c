import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerBatchRoute } from './batch-route.ts';
import { registerBatchesRoutes } from './batches-routes.ts';
import { registerChatCompletionsRoute } from './chat-completions-route.ts';
import { registerConversationsRoutes } from './conversations-routes.ts';
import { registerEmbeddingsRoute } from './embeddings-route.ts';
import { registerFilesRoutes } from './files-routes.ts';
import { registerModelsRoutes } from './models-routes.ts';
import { registerResponsesRoutes } from './responses/responses-routes.ts';

/**
 * OpenAI's wire format: chat completions, responses (JSON, SSE, WebSocket) and conversations,
 * embeddings, batch, files, batches and models. Files are a plugin of their own (multipart parsing
 * is scoped to it).
 */
export async function registerOpenAIRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  registerChatCompletionsRoute(app, platform);
  registerResponsesRoutes(app, platform);
  registerConversationsRoutes(app, platform);
  registerEmbeddingsRoute(app, platform);
  registerBatchRoute(app, platform);
  registerBatchesRoutes(app, platform);
  await app.register(async (files) => registerFilesRoutes(files, platform));
  registerModelsRoutes(app, platform);
}
