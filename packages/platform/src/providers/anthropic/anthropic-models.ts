/** USD per million tokens as decimal strings, the shape the price table reads (`cached` = cache read). */
export interface AnthropicModelPrices {
  input_per_million: string;
  output_per_million: string;
  cached_input_per_million: string;
  cache_write_input_per_million: string;
  /** One-hour cache writes; default the 5-minute cache-write price. */
  cache_write_1h_input_per_million?: string;
}

/** One Claude model the provider offers. */
export interface AnthropicModelSettings {
  /** The exact API model id, e.g. `claude-sonnet-5-5`. */
  id: string;
  contextWindow: number;
  /** The model's output limit; also the `max_tokens` sent when a request sets none. */
  maxOutputTokens: number;
  capabilities: { vision: boolean; tools: boolean; jsonMode: boolean; reasoning: boolean };
  prices: AnthropicModelPrices;
}

/**
 * Cache writes are billed at 1.25× the input price for the 5-minute cache and 2× for the 1-hour
 * one: https://platform.claude.com/docs/en/about-claude/pricing, "Prompt caching".
 */
function prices(input: string, output: string, cacheRead: string): AnthropicModelPrices {
  const times = (percent: number) => ((Number(input) * percent) / 100).toFixed(6).replace(/\.?0+$/, '');
  return {
    input_per_million: input,
    output_per_million: output,
    cached_input_per_million: cacheRead,
    cache_write_input_per_million: times(125),
    cache_write_1h_input_per_million: times(200),
  };
}

const allCapabilities = { vision: true, tools: true, jsonMode: true, reasoning: true };

/**
 * The default catalog. Sources (read 2026-11): the model pages under
 * https://platform.claude.com/docs/en/models/ (id, context window, max output, per-model prices) and
 * https://platform.claude.com/docs/en/about-claude/pricing ("Cache hits and refreshes" = cache read).
 * Claude Haiku 5.5 is left out on purpose: it is priced in two bands by prompt length (over
 * 100,000 prompt tokens every token costs 5×), which one flat price would under-bill.
 */
export const anthropicModels: readonly AnthropicModelSettings[] = [
  // https://platform.claude.com/docs/en/models/opus-5-5/overview
  {
    id: 'claude-opus-5-5',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: allCapabilities,
    prices: prices('4', '20', '0.20'),
  },
  // https://platform.claude.com/docs/en/models/sonnet-5-5/overview
  {
    id: 'claude-sonnet-5-5',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: allCapabilities,
    prices: prices('2', '10', '0.20'),
  },
  // Context, output and prices from the lineup table on https://platform.claude.com/docs/en/models/opus-5/overview;
  // cache read from the pricing page. Why jsonMode false: structured outputs are not documented for Fable.
  {
    id: 'claude-fable-5-1',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: { ...allCapabilities, jsonMode: false },
    prices: prices('10', '50', '0.25'),
  },
  // https://platform.claude.com/docs/en/models/opus-5/overview (legacy)
  {
    id: 'claude-opus-5',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: allCapabilities,
    prices: prices('5', '25', '0.50'),
  },
  // https://platform.claude.com/docs/en/models/sonnet-5/overview (legacy)
  {
    id: 'claude-sonnet-5',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: allCapabilities,
    prices: prices('2', '10', '0.20'),
  },
  // https://platform.claude.com/docs/en/models/opus-4-8/overview (legacy); cache read from the pricing page.
  {
    id: 'claude-opus-4-8',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: allCapabilities,
    prices: prices('5', '25', '0.50'),
  },
  // https://platform.claude.com/docs/en/models/haiku-4-5/overview (legacy). The cache read price is the
  // usual 0.1× of base input; the pricing page row for this model was not confirmed.
  {
    id: 'claude-haiku-4-5-20251001',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: allCapabilities,
    prices: prices('1', '5', '0.10'),
  },
];

/** The catalog's prices keyed by public model id (`anthropic/<id>`), for the metering price table. */
export function anthropicPrices(
  models: readonly AnthropicModelSettings[] = anthropicModels,
): Record<string, AnthropicModelPrices> {
  return Object.fromEntries(models.map((model) => [`anthropic/${model.id}`, { ...model.prices }]));
}
