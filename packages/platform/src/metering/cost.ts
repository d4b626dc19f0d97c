import type { TokenPrice } from './price-table.ts';

export interface BillableTokens {
  promptTokens: number;
  completionTokens: number;
  /** Part of promptTokens that the provider served from its prompt cache. */
  cachedPromptTokens: number;
  /** Part of promptTokens that the provider wrote to its prompt cache. */
  cacheWritePromptTokens?: number;
  /** Part of cacheWritePromptTokens kept for one hour, at its own price. */
  cacheWriteOneHourPromptTokens?: number;
}

/**
 * Exact cost in pico-USD (10⁻¹² USD): cache reads at the cached price, cache writes at the
 * cache-write price (one-hour writes at theirs), the rest of the prompt at the input price, completions at the output price.
 */
export function costInPicoUsd(tokens: BillableTokens, price: TokenPrice | null): bigint {
  if (!price) return 0n;
  const cached = Math.min(tokens.cachedPromptTokens, tokens.promptTokens);
  const written = Math.min(tokens.cacheWritePromptTokens ?? 0, tokens.promptTokens - cached);
  const writtenOneHour = Math.min(tokens.cacheWriteOneHourPromptTokens ?? 0, written);
  const plain = tokens.promptTokens - cached - written;
  return (
    BigInt(plain) * price.inputPicoUsd +
    BigInt(cached) * price.cachedInputPicoUsd +
    BigInt(written - writtenOneHour) * price.cacheWriteInputPicoUsd +
    BigInt(writtenOneHour) * price.cacheWriteOneHourInputPicoUsd +
    BigInt(tokens.completionTokens) * price.outputPicoUsd
  );
}

/** A cost at the model's batch price: less its `batch_discount_percent` (none without one). */
export function batchPrice(costPicoUsd: bigint, price: TokenPrice | null): bigint {
  const discount = BigInt(price?.batchDiscountPercent ?? 0);
  return (costPicoUsd * (100n - discount)) / 100n;
}

/** 1_500_000n → "0.000001500000": the decimal text stored in numeric(24,12) without rounding. */
export function picoUsdToDecimal(picoUsd: bigint): string {
  const negative = picoUsd < 0n;
  const magnitude = negative ? -picoUsd : picoUsd;
  const whole = magnitude / 1_000_000_000_000n;
  const fraction = (magnitude % 1_000_000_000_000n).toString().padStart(12, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** "0.000001500000" → 1_500_000n; the inverse of picoUsdToDecimal for non-negative values. */
export function decimalToPicoUsd(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return BigInt(whole) * 1_000_000_000_000n + BigInt(fraction.padEnd(12, '0').slice(0, 12));
}
