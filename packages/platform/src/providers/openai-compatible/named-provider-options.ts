import type { UpstreamFetch } from '../http/index.ts';
import type { OpenAICompatibleModelSettings } from './openai-compatible-model-settings.ts';

/** Options of a named provider (OpenAI, Together, Moonshot); `models` are laid over its catalog by id. */
export interface NamedProviderOptions {
  /** Read at call time; per-call credentials override it. */
  apiKey: () => string | undefined;
  /** Overrides the provider's public base URL (a proxy, a regional endpoint). */
  baseUrl?: string;
  models?: OpenAICompatibleModelSettings[];
  headers?: Record<string, string>;
  fetch?: UpstreamFetch;
}
