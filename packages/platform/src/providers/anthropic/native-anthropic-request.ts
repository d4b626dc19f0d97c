import type { ChatRequest } from '../../model/index.ts';
import { type BuildOptions, buildAnthropicRequest } from './build-anthropic-request.ts';

/** A Messages body as sent upstream: ours when built, the client's own when forwarded natively. */
export type AnthropicRequestBody = Readonly<Record<string, unknown>>;

/** Fields of a Messages body that the count_tokens endpoint refuses: they do not change the count. */
const notCounted = new Set([
  'max_tokens',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'service_tier',
]);

/**
 * The body of a Messages call. A request that arrived in Anthropic's own format is forwarded as
 * the client sent it (fields we do not know, `cache_control`, `thinking`, thinking blocks with
 * their signatures), with the deployment's model id; any other request is built from ours.
 */
export function anthropicMessagesBody(request: ChatRequest, options: BuildOptions): AnthropicRequestBody {
  const native = request.passthrough?.anthropic?.body;
  if (native === undefined) return buildAnthropicRequest(request, options);
  const { stream: _stream, ...rest } = native;
  return { ...rest, model: options.model.id, ...(options.stream ? { stream: true } : {}) };
}

/** The body of a count_tokens call: the Messages body without the fields that only shape the answer. */
export function anthropicCountTokensBody(
  request: ChatRequest,
  options: Omit<BuildOptions, 'stream'>,
): AnthropicRequestBody {
  const body = anthropicMessagesBody(request, { ...options, stream: false });
  return Object.fromEntries(Object.entries(body).filter(([field]) => !notCounted.has(field)));
}

/** `anthropic-version` (the client's, else the connection's) and the client's `anthropic-beta`. */
export function anthropicHeaders(request: ChatRequest, defaultVersion: string): Record<string, string> {
  const received = request.passthrough?.anthropic?.headers ?? {};
  const beta = received['anthropic-beta'];
  return {
    'anthropic-version': received['anthropic-version'] ?? defaultVersion,
    ...(beta === undefined ? {} : { 'anthropic-beta': beta }),
  };
}
