import { createHash } from 'node:crypto';
import { builtInPrices, builtInPriceVersion, type PriceEntry } from './built-in-prices.ts';

/** Prices as integer pico-USD per token: exact for any price with up to 6 decimals per million. */
export interface TokenPrice {
  inputPicoUsd: bigint;
  outputPicoUsd: bigint;
  cachedInputPicoUsd: bigint;
  cacheWriteInputPicoUsd: bigint;
  /** One-hour cache writes (Anthropic bills them at 2× input, the 5-minute ones at 1.25×). */
  cacheWriteOneHourInputPicoUsd: bigint;
  /** Off every token of a batch line (OpenAI's and Anthropic's batch APIs: 50); 0 without a batch price. */
  batchDiscountPercent: number;
}

export interface PriceTable {
  /** Identifies the prices in force; stored on every usage record. */
  readonly version: string;
  /** Null when the model has no price (it is then metered at zero cost and flagged in logs). */
  priceFor(modelId: string): TokenPrice | null;
}

/** "2.5" USD per million tokens → 2_500_000 pico-USD per token. */
export function parsePricePerMillion(decimal: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(decimal);
  if (!match) throw new Error(`Invalid price '${decimal}': expected a decimal with at most 6 decimals.`);
  const whole = BigInt(match[1] ?? '0');
  const fraction = BigInt((match[2] ?? '').padEnd(6, '0'));
  return whole * 1_000_000n + fraction;
}

function toTokenPrice(entry: PriceEntry): TokenPrice {
  const inputPicoUsd = parsePricePerMillion(entry.input_per_million);
  const cacheWriteInputPicoUsd =
    entry.cache_write_input_per_million === undefined
      ? inputPicoUsd
      : parsePricePerMillion(entry.cache_write_input_per_million);
  return {
    inputPicoUsd,
    outputPicoUsd: parsePricePerMillion(entry.output_per_million),
    cachedInputPicoUsd:
      entry.cached_input_per_million === undefined
        ? inputPicoUsd
        : parsePricePerMillion(entry.cached_input_per_million),
    cacheWriteInputPicoUsd,
    cacheWriteOneHourInputPicoUsd:
      entry.cache_write_1h_input_per_million === undefined
        ? cacheWriteInputPicoUsd
        : parsePricePerMillion(entry.cache_write_1h_input_per_million),
    batchDiscountPercent: entry.batch_discount_percent ?? 0,
  };
}

/**
 * Built-in prices (the simulated models and the providers' catalogs, versioned with the code)
 * overlaid with the config file's `prices`; the version names both.
 */
export function createPriceTable(
  overrides: Readonly<Record<string, PriceEntry>> = {},
  catalog: Readonly<Record<string, PriceEntry>> = {},
): PriceTable {
  const merged = { ...builtInPrices, ...catalog, ...overrides };
  const prices = new Map<string, TokenPrice>();
  for (const [modelId, entry] of Object.entries(merged)) prices.set(modelId, toTokenPrice(entry));
  const overrideKeys = Object.keys(overrides).sort();
  const version =
    overrideKeys.length === 0
      ? builtInPriceVersion
      : `${builtInPriceVersion}+config.${createHash('sha256')
          .update(JSON.stringify(overrideKeys.map((key) => [key, overrides[key]])))
          .digest('hex')
          .slice(0, 8)}`;
  return {
    version,
    priceFor: (modelId) => prices.get(modelId) ?? null,
  };
}
