import type { Provider } from '../../model/index.ts';
import type { UpstreamFetch } from '../http/index.ts';
import type { MaxTokensField, OpenAICompatibleModelSettings } from '../openai-compatible/index.ts';
import { createOpenAICompatibleProvider } from '../openai-compatible/index.ts';

/** A self-hosted or third-party server (Ollama, vLLM, LM Studio, …) with its models from config. */
export interface CustomOpenAICompatibleProviderOptions {
  name: string;
  /** e.g. http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM), http://localhost:1234/v1 (LM Studio). */
  baseUrl: string;
  /** Local servers usually need none; without one, no Authorization header is sent. */
  apiKey?: () => string | undefined;
  models: OpenAICompatibleModelSettings[];
  headers?: Record<string, string>;
  fetch?: UpstreamFetch;
  maxTokensField?: MaxTokensField;
  includeStreamUsage?: boolean;
}

/** Any OpenAI-compatible server at a configured base URL; a key is optional. */
export function createCustomOpenAICompatibleProvider(
  options: CustomOpenAICompatibleProviderOptions,
): Provider {
  return createOpenAICompatibleProvider({
    ...options,
    apiKey: options.apiKey ?? (() => undefined),
    requiresApiKey: false,
  });
}
