import { type PlatformError, providerErrors } from '../../errors/index.ts';
import { type HeaderReader, mapStatusError, readErrorBody, type UpstreamResponse } from '../http/index.ts';
import { type OpenAIErrorObject, openAIErrorObjectSchema } from './openai-compatible-api.ts';

/** An upstream failure, read once, for the error mappers. */
export interface UpstreamFailure {
  provider: string;
  model: string;
  /** The HTTP status, or undefined for an error event inside a 200 stream. */
  status: number | undefined;
  headers: HeaderReader;
  error: OpenAIErrorObject;
  /** The provider's message (or the raw body when it sent no message). */
  message: string;
}

/** A provider's own reading of a failure; undefined leaves it to the shared mapping. */
export type ErrorMapper = (failure: UpstreamFailure) => PlatformError | undefined;

/*
 * How compatible servers say "the prompt is too long" when they send no
 * `context_length_exceeded` code, in order: OpenAI and vLLM; Together in its three wordings (its
 * documented status for this is 403, which would otherwise read as an authentication failure);
 * Moonshot; LM Studio; llama.cpp; Ollama.
 */
const contextLengthMessages = [
  /maximum context length/i,
  /longer than the model'?s context length/i,
  /must be less than the context length/i,
  /`inputs` tokens \+ `max_new_tokens` must be <=/i,
  /exceeded model token limit/i,
  /greater than the context length/i,
  /exceeds the available context size/i,
  /exceeded (?:max )?context length/i,
];

/** Reads an error response: OpenAI's `{ error: {…} }`, Ollama's `{ error: "…" }`, vLLM's flat object, or text. */
export async function readUpstreamFailure(
  response: UpstreamResponse,
  context: { provider: string; model: string },
): Promise<UpstreamFailure> {
  const { json, text } = await readErrorBody(response);
  const error = readErrorObject(json);
  const message =
    error.message ?? (text.trim() === '' ? `HTTP ${response.status}` : text.trim().slice(0, 500));
  return { ...context, status: response.status, headers: response.headers, error, message };
}

function readErrorObject(json: unknown): OpenAIErrorObject {
  if (typeof json === 'string') return { message: json };
  if (typeof json !== 'object' || json === null) return {};
  const nested = (json as { error?: unknown }).error;
  if (typeof nested === 'string') return { message: nested };
  const parsed = openAIErrorObjectSchema.safeParse(nested ?? json);
  return parsed.success ? parsed.data : {};
}

/**
 * The PlatformError for a failure: the provider's own mapper first, then the prompt-too-long and
 * content-filter signals every OpenAI-style server shares, then the HTTP status. An error event
 * inside a stream with nothing more specific is a retryable PROVIDER_STREAM_INTERRUPTED.
 */
export function mapOpenAICompatibleError(failure: UpstreamFailure, mapError?: ErrorMapper): PlatformError {
  const specific = mapError?.(failure);
  if (specific !== undefined) return specific;
  const { provider, model, status, headers, error, message } = failure;
  const code = error.code === undefined || error.code === null ? '' : String(error.code);
  if (code === 'context_length_exceeded' || contextLengthMessages.some((pattern) => pattern.test(message))) {
    return providerErrors.contextLengthExceededUpstream(provider, message);
  }
  if (code === 'content_filter') return providerErrors.contentFiltered(provider, message);
  if (status === undefined) {
    if (/rate.?limit/i.test(`${code} ${error.type ?? ''}`))
      return providerErrors.rateLimited(provider, message);
    return providerErrors.streamInterrupted(provider, message);
  }
  return mapStatusError({ provider, model, status, message, headers });
}
