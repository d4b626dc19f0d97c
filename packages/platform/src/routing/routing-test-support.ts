import { createPriceTable, type PriceTable } from '../metering/index.ts';
import type { ChatRequest, Provider } from '../model/index.ts';
import { anthropicPrices, createAnthropicProvider } from '../providers/anthropic/index.ts';
import { createAzureOpenAIProvider } from '../providers/azure-openai/index.ts';
import { createMoonshotProvider, moonshotModels } from '../providers/moonshot/index.ts';
import { createOpenAIProvider, openAIModels } from '../providers/openai/index.ts';
import { pricesFromCatalog } from '../providers/openai-compatible/index.ts';
import { createSimulatedProvider } from '../providers/simulated/index.ts';
import { createTogetherProvider, togetherModels } from '../providers/together/index.ts';
import { type Clock, loadTokenizer, seededRandom } from '../support/index.ts';
import { createDeploymentStats, type DeploymentStats } from './deployment-stats.ts';
import { createModelCatalog, type ModelCatalog } from './model-catalog.ts';
import { createRouter, type RouteInput, type Router } from './router.ts';
import { type RoutingConfig, routingConfigSchema } from './routing-config-schema.ts';

/** The simulated provider alone: what `npm start` serves without keys. */
export async function simulatedProviders(): Promise<Provider[]> {
  return [createSimulatedProvider({ tokenizer: await loadTokenizer() })];
}

/**
 * Every real provider's default catalog (pointed nowhere: listing models needs no network), one
 * Azure resource with a chat and an embedding deployment, and the simulated provider.
 */
export async function allProviders(): Promise<Provider[]> {
  const apiKey = () => 'x';
  return [
    createOpenAIProvider({ apiKey }),
    createAnthropicProvider({ apiKey }),
    createTogetherProvider({ apiKey }),
    createMoonshotProvider({ apiKey }),
    createAzureOpenAIProvider({
      endpoint: 'https://example.openai.azure.com',
      apiKey,
      deployments: [
        {
          deployment: 'embed-eu',
          model: 'text-embedding-3-small',
          kind: 'embedding',
          contextWindow: 8191,
          maxOutputTokens: 0,
          dimensions: 1536,
        },
        {
          deployment: 'gpt-4o-eu',
          model: 'gpt-4o',
          kind: 'chat',
          contextWindow: 128_000,
          maxOutputTokens: 16_384,
        },
      ],
    }),
    ...(await simulatedProviders()),
  ];
}

/** The built-in prices with the real catalogs' list prices, as the platform wires them. */
export function catalogPrices(): PriceTable {
  return createPriceTable(
    {},
    {
      ...pricesFromCatalog('openai', openAIModels),
      ...pricesFromCatalog('together', togetherModels),
      ...pricesFromCatalog('moonshot', moonshotModels),
      ...anthropicPrices(),
    },
  );
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): Clock & { advance(milliseconds: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (milliseconds) => {
      now += milliseconds;
    },
    sleep: async () => {},
  };
}

export interface TestRouter {
  router: Router;
  catalog: ModelCatalog;
  stats: DeploymentStats;
  warnings: string[];
}

/** A router over the given providers and a `routing:` section as written in kimi.config.yaml. */
export function buildTestRouter(
  providers: Provider[],
  routing: unknown = {},
  options: { aliases?: Record<string, string>; seed?: number } = {},
): TestRouter {
  const catalog = createModelCatalog(providers, options.aliases ?? {});
  const stats = createDeploymentStats({ clock: manualClock() });
  const warnings: string[] = [];
  const config: RoutingConfig = routingConfigSchema.parse(routing);
  const router = createRouter({
    catalog,
    config,
    prices: catalogPrices(),
    stats,
    random: seededRandom(options.seed ?? 1),
    onConfigWarning: (message) => warnings.push(message),
  });
  return { router, catalog, stats, warnings };
}

/** A chat route input with one user message; the prompt size defaults to a rough count. */
export function chatInput(
  modelName: string,
  text: string,
  extra: Partial<Omit<RouteInput, 'request'>> & { request?: Partial<ChatRequest> } = {},
): RouteInput {
  const { request, ...rest } = extra;
  return {
    modelName,
    request: { messages: [{ role: 'user', content: text }], ...request },
    promptTokens: Math.ceil(text.length / 4) + 7,
    plan: null,
    costPreference: 'balanced',
    kind: 'chat',
    ...rest,
  };
}

/** The candidates' public ids, in order. */
export function candidateIds(plan: { candidates: Array<{ model: { publicId: string } }> }): string[] {
  return plan.candidates.map((candidate) => candidate.model.publicId);
}
