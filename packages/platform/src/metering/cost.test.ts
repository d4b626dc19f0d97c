import { describe, expect, it } from 'vitest';
import { batchPrice, costInPicoUsd, picoUsdToDecimal } from './cost.ts';
import { createPriceTable, parsePricePerMillion } from './price-table.ts';

describe('prices and cost', () => {
  it('parses prices per million into exact pico-USD per token', () => {
    expect(parsePricePerMillion('2.5')).toBe(2_500_000n);
    expect(parsePricePerMillion('0.075')).toBe(75_000n);
    expect(parsePricePerMillion('15')).toBe(15_000_000n);
    expect(parsePricePerMillion('0.000001')).toBe(1n);
    expect(() => parsePricePerMillion('0.0000001')).toThrow(/at most 6 decimals/);
    expect(() => parsePricePerMillion('-1')).toThrow();
  });

  it('bills uncached, cached and completion tokens at their own prices', () => {
    const price = createPriceTable({
      'x/model': { input_per_million: '2.50', output_per_million: '10', cached_input_per_million: '1.25' },
    }).priceFor('x/model');
    const cost = costInPicoUsd({ promptTokens: 1000, completionTokens: 500, cachedPromptTokens: 400 }, price);
    // 600 × 2.5e-6 + 400 × 1.25e-6 + 500 × 10e-6 = 0.0015 + 0.0005 + 0.005 = 0.007 USD
    expect(picoUsdToDecimal(cost)).toBe('0.007000000000');
  });

  it('takes the batch discount off a batch line, and nothing without one', () => {
    const table = createPriceTable({
      'x/discounted': { input_per_million: '2', output_per_million: '8', batch_discount_percent: 50 },
      'x/plain': { input_per_million: '2', output_per_million: '8' },
    });
    const tokens = { promptTokens: 1000, completionTokens: 250, cachedPromptTokens: 0 };
    const discounted = table.priceFor('x/discounted');
    // 1000 × 2e-6 + 250 × 8e-6 = 0.004 USD, half of it for a batch line.
    expect(picoUsdToDecimal(batchPrice(costInPicoUsd(tokens, discounted), discounted))).toBe(
      '0.002000000000',
    );
    const plain = table.priceFor('x/plain');
    expect(picoUsdToDecimal(batchPrice(costInPicoUsd(tokens, plain), plain))).toBe('0.004000000000');
    expect(batchPrice(123n, null)).toBe(123n);
  });

  it('bills cache writes at their own price', () => {
    const price = createPriceTable({
      'x/claude': {
        input_per_million: '4',
        output_per_million: '20',
        cached_input_per_million: '0.2',
        cache_write_input_per_million: '5',
      },
    }).priceFor('x/claude');
    const cost = costInPicoUsd(
      { promptTokens: 10_000, completionTokens: 100, cachedPromptTokens: 6000, cacheWritePromptTokens: 3000 },
      price,
    );
    // 1000 × 4e-6 + 6000 × 0.2e-6 + 3000 × 5e-6 + 100 × 20e-6 = 0.004 + 0.0012 + 0.015 + 0.002
    expect(picoUsdToDecimal(cost)).toBe('0.022200000000');
  });

  it('bills one-hour cache writes at theirs, defaulting to the cache-write price', () => {
    const table = createPriceTable({
      'x/claude': {
        input_per_million: '4',
        output_per_million: '20',
        cache_write_input_per_million: '5',
        cache_write_1h_input_per_million: '8',
      },
      'x/plain': { input_per_million: '4', output_per_million: '20', cache_write_input_per_million: '5' },
    });
    const tokens = {
      promptTokens: 1000,
      completionTokens: 0,
      cachedPromptTokens: 0,
      cacheWritePromptTokens: 1000,
      cacheWriteOneHourPromptTokens: 250,
    };
    // 750 × 5e-6 + 250 × 8e-6 = 0.00375 + 0.002
    expect(picoUsdToDecimal(costInPicoUsd(tokens, table.priceFor('x/claude')))).toBe('0.005750000000');
    expect(picoUsdToDecimal(costInPicoUsd(tokens, table.priceFor('x/plain')))).toBe('0.005000000000');
  });

  it('sums many tiny costs without floating-point drift', () => {
    const price = createPriceTable().priceFor('sim/fast');
    let total = 0n;
    for (let index = 0; index < 100_000; index++) {
      total += costInPicoUsd({ promptTokens: 7, completionTokens: 3, cachedPromptTokens: 0 }, price);
    }
    // 100k × (7 × 0.1e-6 + 3 × 0.4e-6) = 100k × 1.9e-6 = 0.19 USD exactly
    expect(picoUsdToDecimal(total)).toBe('0.190000000000');
  });

  it('costs nothing for a model without a price', () => {
    expect(costInPicoUsd({ promptTokens: 10, completionTokens: 10, cachedPromptTokens: 0 }, null)).toBe(0n);
  });

  it('versions the table by its overrides', () => {
    const plain = createPriceTable();
    const overridden = createPriceTable({ 'sim/fast': { input_per_million: '1', output_per_million: '2' } });
    expect(overridden.version).not.toBe(plain.version);
    expect(overridden.version.startsWith(plain.version)).toBe(true);
    expect(overridden.priceFor('sim/fast')?.cachedInputPicoUsd).toBe(1_000_000n);
  });
});
