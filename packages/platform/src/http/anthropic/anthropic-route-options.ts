import type { RouteShorthandOptions } from 'fastify';

/**
 * What every Anthropic-shaped model route shares: errors (authentication's too) in Anthropic's
 * shape, the `models:invoke` permission, and the request id under `request-id`, where Anthropic's
 * SDKs read it (error.requestID, message._request_id). A new object per route, as Fastify keeps
 * each route's options.
 */
export function anthropicModelRouteOptions(): RouteShorthandOptions {
  return {
    config: { errorFormat: 'anthropic', permission: 'models:invoke' },
    onSend: async (request, reply, payload) => {
      reply.header('request-id', request.id);
      return payload;
    },
  };
}
