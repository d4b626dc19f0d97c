import { describe, expect, it } from 'vitest';
import {
  budgetUsdSchema,
  decimalToNanoUsdRoundedUp,
  monthlyPriceUsdSchema,
  nanoUsdToUsd,
  trimDecimal,
  usdToNanoUsd,
} from './usd-amount.ts';

describe('USD amounts', () => {
  it('accepts budgets as numbers or strings and normalises them', () => {
    expect(budgetUsdSchema.parse(25)).toBe('25');
    expect(budgetUsdSchema.parse('0.5')).toBe('0.5');
    expect(budgetUsdSchema.parse(' 12.500 ')).toBe('12.5');
    expect(budgetUsdSchema.parse(0.000000001)).toBe('0.000000001');
    expect(budgetUsdSchema.parse(1e-7)).toBe('0.0000001');
    expect(budgetUsdSchema.parse('1000000000')).toBe('1000000000');
    expect(budgetUsdSchema.parse('1.1000000000')).toBe('1.1');
  });

  it.each([
    [-5, 'greater than 0'],
    ['-0.1', 'greater than 0'],
    [0, 'greater than 0'],
    ['0.0000000001', '9 decimals'],
    ['1000000000.000000001', 'at most 1000000000'],
    [1e21, 'at most 1000000000'],
    ['ten', 'decimal amount'],
    ['1e3', 'decimal amount'],
    ['', 'decimal amount'],
    [Number.NaN, 'decimal amount'],
  ])('refuses %s', (value, message) => {
    const result = budgetUsdSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });

  it('refuses values that are neither numbers nor strings', () => {
    expect(budgetUsdSchema.safeParse(true).success).toBe(false);
    expect(budgetUsdSchema.safeParse(null).success).toBe(false);
  });

  it('converts exactly between USD text and nano-USD', () => {
    expect(usdToNanoUsd('12.5')).toBe(12_500_000_000n);
    expect(nanoUsdToUsd(12_500_000_000n)).toBe('12.5');
    expect(nanoUsdToUsd(1n)).toBe('0.000000001');
    expect(nanoUsdToUsd(0n)).toBe('0');
    expect(() => usdToNanoUsd('0.0000000001')).toThrow();
    expect(decimalToNanoUsdRoundedUp('1.000000000001')).toBe(1_000_000_001n);
    expect(decimalToNanoUsdRoundedUp('1.000000000000')).toBe(1_000_000_000n);
    expect(trimDecimal('49.000000000000')).toBe('49');
    expect(trimDecimal('0.500')).toBe('0.5');
    expect(trimDecimal('10')).toBe('10');
  });

  it('checks plan prices: zero allowed, two decimals at most', () => {
    expect(monthlyPriceUsdSchema.parse(0)).toBe('0');
    expect(monthlyPriceUsdSchema.parse('49.90')).toBe('49.9');
    expect(monthlyPriceUsdSchema.safeParse('49.999').success).toBe(false);
    expect(monthlyPriceUsdSchema.safeParse(-1).success).toBe(false);
    expect(monthlyPriceUsdSchema.safeParse(2_000_000).success).toBe(false);
  });
});
