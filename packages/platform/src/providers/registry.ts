import type { ConfigFile, ProviderModelConfig } from '../config/index.ts';
import type { Clock, Tokenizer } from '../support/index.ts';
import {
  type AnthropicModelSettings,
  anthropicModels,
  anthropicPrices,
  createAnthropicProvider,
} from './anthropic/index.ts';
import { isEnabled, keyReader } from './credentials.ts';
import { createSimulatedProvider } from './simulated/index.ts';
import type { CatalogPrice, Provider } from './spec/index.ts';

export interface ProviderDependencies {
  clock: Clock;
  tokenizer: Tokenizer;
  /** process.env in production; read when a call needs a key, never at start-up only. */
  environment: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
}

/** Config models replace catalog entries with the same id and add the rest. */
function mergeModels<Model extends { id: string }>(catalog: readonly Model[], extra: Model[]): Model[] {
  const byId = new Map(catalog.map((model) => [model.id, model]));
  for (const model of extra) byId.set(model.id, model);
  return [...byId.values()];
}

function anthropicModelFromConfig(model: ProviderModelConfig): AnthropicModelSettings {
  return {
    id: model.id,
    contextWindow: model.context_window,
    maxOutputTokens: model.max_output_tokens,
    capabilities: { vision: model.vision, tools: model.tools, jsonMode: model.json_mode },
    // Prices of config models come from the config's `prices`; zero here means "not in the catalog".
    prices: {
      input_per_million: '0',
      output_per_million: '0',
      cached_input_per_million: '0',
      cache_write_input_per_million: '0',
    },
  };
}

/** Every provider the config and environment enable, the simulated one first. */
export function createProviders(config: ConfigFile, dependencies: ProviderDependencies): Provider[] {
  const { environment } = dependencies;
  const fetchOption = dependencies.fetch ? { fetch: dependencies.fetch } : {};
  const providers: Provider[] = [];
  const sections = config.providers;
  if (sections.sim.enabled) {
    providers.push(
      createSimulatedProvider({
        clock: dependencies.clock,
        tokenizer: dependencies.tokenizer,
        ...(sections.sim.models ? { models: sections.sim.models } : {}),
      }),
    );
  }
  if (isEnabled(environment, sections.anthropic, 'ANTHROPIC_API_KEY')) {
    const section = sections.anthropic;
    providers.push(
      createAnthropicProvider({
        apiKey: keyReader(environment, section ?? {}, 'ANTHROPIC_API_KEY'),
        models: mergeModels(anthropicModels, (section?.models ?? []).map(anthropicModelFromConfig)),
        ...(section?.base_url ? { baseUrl: section.base_url } : {}),
        ...(section?.version ? { version: section.version } : {}),
        ...fetchOption,
      }),
    );
  }
  return providers;
}

/** Catalog prices of every built-in provider, keyed by public model id (config `prices` override them). */
export function catalogPrices(): Record<string, CatalogPrice> {
  return { ...anthropicPrices() };
}
