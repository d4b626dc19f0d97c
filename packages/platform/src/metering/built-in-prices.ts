/**
 * Built-in prices in USD per million tokens. Bump `builtInPriceVersion` whenever a price changes:
 * every usage record stores the version it was priced with.
 */
export const builtInPriceVersion = '2026-12-04';

export interface PriceEntry {
  input_per_million: string;
  output_per_million: string;
  /** Cache reads; default the input price. */
  cached_input_per_million?: string;
  /** Cache writes (Anthropic: the 5-minute ones); default the input price. */
  cache_write_input_per_million?: string;
  /** Cache writes kept for one hour; default the cache-write price. */
  cache_write_1h_input_per_million?: string;
  /** Percent off every token when the request is a line of a batch (0 to 100); default none. */
  batch_discount_percent?: number;
}

export const builtInPrices: Readonly<Record<string, PriceEntry>> = {
  // The simulated models carry prices so metering, budgets and reports are exercised offline.
  'sim/fast': { input_per_million: '0.10', output_per_million: '0.40', cached_input_per_million: '0.05' },
  'sim/smart': { input_per_million: '2.50', output_per_million: '10.00', cached_input_per_million: '1.25' },
  'sim/mini': { input_per_million: '0.05', output_per_million: '0.20', cached_input_per_million: '0.025' },
  'sim/flaky': { input_per_million: '0.10', output_per_million: '0.40', cached_input_per_million: '0.05' },
  'sim/embed': { input_per_million: '0.02', output_per_million: '0' },
};
