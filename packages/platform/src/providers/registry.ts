import type { CatalogPrice, Provider } from '../model/index.ts';
import type { ProviderModelConfig, ProvidersConfig } from './provider-config-schema.ts';

/** The part of the config file providers are built from. */
export interface ProvidersConfigInput {
  providers: ProvidersConfig;
}

import type { Clock, Tokenizer } from '../support/index.ts';
import {
  type AnthropicModelSettings,
  anthropicModels,
  anthropicPrices,
  createAnthropicProvider,
} from './anthropic/index.ts';
import { createAzureOpenAIProvider } from './azure-openai/index.ts';
import { isEnabled, keyReader } from './credentials.ts';
import { createCustomOpenAICompatibleProvider } from './custom/index.ts';
import { createUpstreamFetch, type UpstreamFetch } from './http/index.ts';
import { createMoonshotProvider, moonshotModels } from './moonshot/index.ts';
import { createOpenAIProvider, openAIModels } from './openai/index.ts';
import { type OpenAICompatibleModelSettings, pricesFromCatalog } from './openai-compatible/index.ts';
import { createSimulatedProvider } from './simulated/index.ts';
import { createTogetherProvider, togetherModels } from './together/index.ts';

export interface ProviderDependencies {
  clock: Clock;
  tokenizer: Tokenizer;
  /** process.env in production; read when a call needs a key, never at start-up only. */
  environment: Readonly<Record<string, string | undefined>>;
  fetch?: UpstreamFetch;
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
    capabilities: {
      vision: model.vision,
      tools: model.tools,
      jsonMode: model.json_mode,
      reasoning: model.reasoning,
    },
    // Prices of config models come from the config's `prices`; zero here means "not in the catalog".
    prices: {
      input_per_million: '0',
      output_per_million: '0',
      cached_input_per_million: '0',
      cache_write_input_per_million: '0',
    },
  };
}

function openAICompatibleModelFromConfig(model: ProviderModelConfig): OpenAICompatibleModelSettings {
  return {
    id: model.id,
    kind: model.kind,
    contextWindow: model.context_window,
    maxOutputTokens: model.kind === 'embedding' ? 0 : model.max_output_tokens,
    capabilities: {
      vision: model.vision,
      tools: model.tools,
      jsonMode: model.json_mode,
      reasoning: model.reasoning,
    },
    ...(model.dimensions === undefined ? {} : { dimensions: model.dimensions }),
  };
}

const namedOpenAICompatible = [
  { key: 'openai', variable: 'OPENAI_API_KEY', create: createOpenAIProvider },
  { key: 'together', variable: 'TOGETHER_API_KEY', create: createTogetherProvider },
  { key: 'moonshot', variable: 'MOONSHOT_API_KEY', create: createMoonshotProvider },
] as const;

/** Every provider the config and environment enable, the simulated one first. */
export function createProviders(
  config: ProvidersConfigInput,
  dependencies: ProviderDependencies,
): Provider[] {
  const { environment } = dependencies;
  /** One pooled HTTP agent per provider, with that provider's connect timeout. */
  const fetchFor = (connectTimeoutMs: number) => ({
    fetch: dependencies.fetch ?? createUpstreamFetch({ connectTimeoutMs }),
  });
  const providers: Provider[] = [];
  const sections = config.providers;
  if (sections.sim.enabled) {
    providers.push(
      createSimulatedProvider({
        clock: dependencies.clock,
        tokenizer: dependencies.tokenizer,
        faultDirectives: sections.sim.fault_directives,
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
        ...fetchFor(section?.connect_timeout_ms ?? 10_000),
      }),
    );
  }
  for (const { key, variable, create } of namedOpenAICompatible) {
    const section = sections[key];
    if (!isEnabled(environment, section, variable)) continue;
    providers.push(
      create({
        apiKey: keyReader(environment, section ?? {}, variable),
        models: (section?.models ?? []).map(openAICompatibleModelFromConfig),
        ...(section?.base_url ? { baseUrl: section.base_url } : {}),
        ...fetchFor(section?.connect_timeout_ms ?? 10_000),
      }),
    );
  }
  const azure = sections.azure_openai;
  if (azure && azure.enabled) {
    const endpoint = azure.endpoint ?? environment.AZURE_OPENAI_ENDPOINT;
    if (!endpoint) {
      throw new Error(
        'Invalid config: providers.azure_openai.endpoint: set it (https://<resource>.openai.azure.com) or AZURE_OPENAI_ENDPOINT',
      );
    }
    providers.push(
      createAzureOpenAIProvider({
        endpoint,
        apiKey: keyReader(environment, azure, azure.api_key_env),
        ...(azure.api_version ? { apiVersion: azure.api_version } : {}),
        deployments: azure.deployments.map((deployment) => ({
          deployment: deployment.deployment,
          model: deployment.model,
          kind: deployment.kind,
          contextWindow: deployment.context_window,
          maxOutputTokens: deployment.kind === 'embedding' ? 0 : deployment.max_output_tokens,
          capabilities: { vision: deployment.vision, reasoning: deployment.reasoning },
          ...(deployment.dimensions === undefined ? {} : { dimensions: deployment.dimensions }),
        })),
        ...fetchFor(azure.connect_timeout_ms),
      }),
    );
  }
  for (const server of sections.openai_compatible) {
    providers.push(
      createCustomOpenAICompatibleProvider({
        name: server.name,
        baseUrl: server.base_url,
        apiKey: keyReader(environment, server, server.api_key_env),
        models: server.models.map(openAICompatibleModelFromConfig),
        ...fetchFor(server.connect_timeout_ms),
      }),
    );
  }
  const names = new Set<string>();
  for (const provider of providers) {
    if (names.has(provider.name)) {
      throw new Error(
        `Invalid config: providers.openai_compatible: the name '${provider.name}' is already taken`,
      );
    }
    names.add(provider.name);
  }
  return providers;
}

/** Catalog prices of every built-in provider, keyed by public model id (config `prices` override them). */
function withBatchDiscount(
  prices: Record<string, CatalogPrice>,
  percent: number,
): Record<string, CatalogPrice> {
  return Object.fromEntries(
    Object.entries(prices).map(([model, price]) => [model, { ...price, batch_discount_percent: percent }]),
  );
}

export function catalogPrices(config: ProvidersConfigInput): Record<string, CatalogPrice> {
  // why 50: OpenAI's Batch API and Anthropic's Message Batches bill half of the interactive price.
  const prices: Record<string, CatalogPrice> = {
    ...withBatchDiscount(anthropicPrices(), 50),
    ...withBatchDiscount(pricesFromCatalog('openai', openAIModels), 50),
    ...pricesFromCatalog('together', togetherModels),
    ...pricesFromCatalog('moonshot', moonshotModels),
  };
  // An Azure deployment is priced like the OpenAI model it serves, unless `prices` says otherwise.
  for (const deployment of config.providers.azure_openai?.deployments ?? []) {
    const price = prices[`openai/${deployment.model}`];
    if (price) prices[`azure/${deployment.deployment}`] = price;
  }
  return prices;
}
