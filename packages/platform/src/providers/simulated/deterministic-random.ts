import { createHash } from 'node:crypto';
import { type RandomSource, seededRandom } from '../../support/index.ts';

const base62Characters = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];

/**
 * JSON with object keys sorted and `undefined` members dropped, so two equal requests built in
 * a different key order hash the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

/** A stable 32-bit seed from any text (the first four bytes of its SHA-256). */
export function seedFromText(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A reproducible random source seeded by a text. */
export function randomFromText(text: string): RandomSource {
  return seededRandom(seedFromText(text));
}

/** A whole number in [minimum, maximum], both included. */
export function randomInteger(random: RandomSource, minimum: number, maximum: number): number {
  if (maximum <= minimum) return minimum;
  return minimum + Math.floor(random() * (maximum - minimum + 1));
}

/** One element of a non-empty list. */
export function pickOne<T>(random: RandomSource, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pickOne needs a non-empty list');
  return item;
}

/** Letters and digits only, as OpenAI uses in its ids. */
export function randomBase62(random: RandomSource, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += pickOne(random, base62Characters);
  return text;
}
