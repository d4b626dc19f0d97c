import type { FastifyRequest } from 'fastify';
import type { AnthropicPassthrough } from '../../model/index.ts';

/** The Anthropic headers an Anthropic upstream receives as the client sent them. */
const forwardedHeaders = ['anthropic-version', 'anthropic-beta'] as const;

/**
 * What an Anthropic-format request carries for Anthropic models only: its version and beta
 * headers, and the body as received, so fields this platform does not model (`cache_control`,
 * thinking blocks and their signatures, fields of newer API versions) reach Anthropic untouched.
 */
export function anthropicPassthrough(request: FastifyRequest): AnthropicPassthrough {
  const headers: Record<string, string> = {};
  for (const name of forwardedHeaders) {
    const value = request.headers[name];
    // Why: a repeated header means its values joined by commas (RFC 9110 §5.3).
    const text = Array.isArray(value) ? value.join(',') : value;
    if (text !== undefined && text !== '') headers[name] = text;
  }
  const body = request.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  return { headers, ...(isObject ? { body: body as Record<string, unknown> } : {}) };
}
