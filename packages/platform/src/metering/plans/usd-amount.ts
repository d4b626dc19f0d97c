import { z } from 'zod';

/** Nano-USD (10⁻⁹ USD) in one USD: the unit of budget counters (see limits-types.ts). */
export const nanoUsdPerUsd = 1_000_000_000n;

/** The largest budget accepted anywhere: one billion USD. */
export const maximumBudgetUsd = 1_000_000_000n;

const plainDecimal = /^-?\d+(\.\d+)?$/;

/**
 * A JSON number as plain decimal text. why: `String(1e-7)` is "1e-7", which no decimal column or
 * regular expression accepts, while the caller meant 0.0000001.
 */
function numberToDecimalText(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = String(value);
  if (!text.includes('e')) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

type Refinement = z.core.$RefinementCtx<unknown>;

/**
 * The text of an amount given as a number or a string. Anything else is an issue: a missing value
 * reads "received undefined" (which the HTTP layer reports as a missing parameter).
 */
function amountText(value: unknown, context: Refinement, message: string): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return numberToDecimalText(value);
  if (typeof value === 'string') return value.trim();
  if (value === undefined) {
    context.addIssue({
      code: 'invalid_type',
      expected: 'string',
      input: value,
      message: 'Invalid input: expected number or string, received undefined',
    });
  } else {
    context.addIssue({ code: 'custom', message });
  }
  return undefined;
}

/** "12.5" → 12_500_000_000n. The text must be a non-negative decimal with at most 9 decimals. */
export function usdToNanoUsd(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  if (!/^\d+$/.test(whole) || !/^\d{0,9}$/.test(fraction)) {
    throw new Error(`'${text}' is not a USD amount with at most 9 decimals`);
  }
  return BigInt(whole) * nanoUsdPerUsd + BigInt(fraction.padEnd(9, '0'));
}

/**
 * A stored numeric (up to 12 decimals, e.g. spend in pico-USD precision) as nano-USD, rounded up:
 * a limit read this way is never looser, and spend never smaller, than what is stored.
 */
export function decimalToNanoUsdRoundedUp(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  const kept = BigInt(whole) * nanoUsdPerUsd + BigInt(fraction.slice(0, 9).padEnd(9, '0'));
  return /[1-9]/.test(fraction.slice(9)) ? kept + 1n : kept;
}

/** 12_500_000_000n → "12.5": the shortest exact decimal text. */
export function nanoUsdToUsd(nanoUsd: bigint): string {
  const negative = nanoUsd < 0n;
  const magnitude = negative ? -nanoUsd : nanoUsd;
  const whole = magnitude / nanoUsdPerUsd;
  const fraction = (magnitude % nanoUsdPerUsd).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** "49.000000000000" → "49", "0.500" → "0.5": a stored numeric as the API shows it. */
export function trimDecimal(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * A USD amount as JSON or YAML gives it (number or string): checked to be a plain decimal, > 0,
 * at most 1,000,000,000 and with at most 9 decimals (exact in nano-USD); the output is its text.
 */
export const budgetUsdSchema = z.unknown().transform((value, context) => {
  const notAnAmount = 'must be a decimal amount of USD, e.g. 25 or "0.5"';
  const text = amountText(value, context, notAnAmount);
  if (text === undefined) return z.NEVER;
  const fail = (message: string) => {
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (!plainDecimal.test(text)) return fail(notAnAmount);
  if (text.startsWith('-')) return fail('must be greater than 0');
  const fraction = text.split('.')[1] ?? '';
  if (fraction.replace(/0+$/, '').length > 9) return fail('must have at most 9 decimals');
  const nanoUsd = usdToNanoUsd(text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
  if (nanoUsd === 0n) return fail('must be greater than 0');
  if (nanoUsd > maximumBudgetUsd * nanoUsdPerUsd) return fail('must be at most 1000000000 (USD)');
  return nanoUsdToUsd(nanoUsd);
});

/** A plan's price in USD per month: ≥ 0, at most 1,000,000, at most 2 decimals. */
export const monthlyPriceUsdSchema = z.unknown().transform((value, context) => {
  const message = 'must be a non-negative amount of USD with at most 2 decimals';
  const text = amountText(value, context, message);
  if (text === undefined) return z.NEVER;
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  if (usdToNanoUsd(text) > 1_000_000n * nanoUsdPerUsd) {
    context.addIssue({ code: 'custom', message: 'must be at most 1000000 (USD)' });
    return z.NEVER;
  }
  return nanoUsdToUsd(usdToNanoUsd(text));
});
