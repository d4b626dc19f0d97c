import type { RouteShorthandOptions } from 'fastify';
import type { Permission } from '../../identity/index.ts';
import type { RouteContract } from '../route-contract.ts';

/**
 * What every Anthropic-shaped route shares: errors (authentication's too) in Anthropic's shape,
 * its permission, and the request id under `request-id`, where Anthropic's SDKs read it
 * (error.requestID, message._request_id). A new object per route, as Fastify keeps each route's
 * options.
 */
export function anthropicRouteOptions(
  permission: Permission,
  contract?: RouteContract,
): RouteShorthandOptions {
  return {
    config: contract
      ? { errorFormat: 'anthropic', permission, contract }
      : { errorFormat: 'anthropic', permission },
    onSend: async (request, reply, payload) => {
      reply.header('request-id', request.id);
      return payload;
    },
  };
}

/** The options of a model route (`/v1/messages`, count_tokens): `models:invoke`. */
export function anthropicModelRouteOptions(contract?: RouteContract): RouteShorthandOptions {
  return anthropicRouteOptions('models:invoke', contract);
}
