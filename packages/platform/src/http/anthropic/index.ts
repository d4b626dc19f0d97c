import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/index.ts';
import { registerMessagesRoute } from './messages-route.ts';

/** Anthropic's wire format: /v1/messages (JSON and SSE). */
export function registerAnthropicRoutes(app: FastifyInstance, platform: Platform): void {
  registerMessagesRoute(app, platform);
}
