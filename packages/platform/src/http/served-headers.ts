import type { FastifyReply } from 'fastify';
import type { ServedAs } from '../gateway/index.ts';

/** `x-ratelimit-*` and `x-kimi-cache: hit-l1|hit-l2|hit-semantic|miss|bypass`, as the gateway reports them. */
export function servedHeaders(servedAs: ServedAs): Record<string, string> {
  if (servedAs.cacheStatus === null) return { ...servedAs.limitHeaders };
  return { ...servedAs.limitHeaders, 'x-kimi-cache': servedAs.cacheStatus };
}

/** Sets the served-as headers on a JSON answer. */
export function setServedHeaders(reply: FastifyReply, servedAs: ServedAs): void {
  reply.headers(servedAs.limitHeaders);
  if (servedAs.cacheStatus !== null) reply.header('x-kimi-cache', servedAs.cacheStatus);
}
