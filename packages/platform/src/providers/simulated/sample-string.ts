import type { JsonSchema } from '../../model/index.ts';
import type { RandomSource } from '../../support/index.ts';
import { pickOne, randomBase62, randomInteger } from './deterministic-random.ts';
import { excerpt, significantWords } from './prompt-text.ts';
import { sampleFromPattern } from './regex-sample.ts';

const queryLikeNames = new Set([
  'q',
  'query',
  'question',
  'text',
  'prompt',
  'topic',
  'search',
  'keywords',
  'keyword',
  'input',
  'message',
  'term',
  'terms',
  'subject',
]);
const fillerWords = ['sample', 'value', 'simulated', 'example', 'draft', 'note', 'summary', 'detail'];
const people = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Katherine Johnson', 'Edsger Dijkstra'];
const places = ['Paris', 'Tokyo', 'Nairobi', 'Lima', 'Oslo', 'Toronto', 'Melbourne'];

/** What a string sample can draw on besides the schema. */
export interface StringSampleContext {
  random: RandomSource;
  /** The prompt, quoted by query-like properties. */
  contextText: string;
  propertyName: string | undefined;
}

/** A string valid against the string keywords of `schema` (format, pattern, length). */
export function sampleString(schema: JsonSchema, context: StringSampleContext): string {
  const minimumLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maximumLength = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const fits = (text: string) => {
    const length = [...text].length;
    return length >= minimumLength && length <= maximumLength;
  };
  if (typeof schema.pattern === 'string') {
    const bounds = { minimumLength, maximumLength };
    const generated = sampleFromPattern(schema.pattern, context.random, bounds);
    if (generated !== undefined) return generated;
    const fallback = patternFallback(schema.pattern, context, fits);
    if (fallback !== undefined) return fallback;
  }
  if (typeof schema.format === 'string') {
    const formatted = sampleFormat(schema.format, context.random);
    if (formatted !== undefined && fits(formatted)) return formatted;
  }
  return fitLength(textForName(context), minimumLength, maximumLength);
}

/** Plausible values for the formats ajv-formats checks; undefined for formats we do not know. */
export function sampleFormat(format: string, random: RandomSource): string | undefined {
  const day = new Date(Date.UTC(2024, 0, 1) + randomInteger(random, 0, 730) * 86_400_000);
  const date = day.toISOString().slice(0, 10);
  const time = `${pad(randomInteger(random, 0, 23))}:${pad(randomInteger(random, 0, 59))}:${pad(randomInteger(random, 0, 59))}Z`;
  switch (format) {
    case 'date-time':
      return `${date}T${time}`;
    case 'date':
      return date;
    case 'time':
      return time;
    case 'email':
    case 'idn-email':
      return `${pickOne(random, ['ada', 'alan', 'grace', 'sam', 'kim'])}${randomInteger(random, 1, 99)}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
    case 'uri-reference':
    case 'iri-reference':
      return `https://example.com/${pickOne(random, fillerWords)}/${randomInteger(random, 1, 999)}`;
    case 'uuid':
      return uuid(random);
    case 'hostname':
    case 'idn-hostname':
      return `${pickOne(random, fillerWords)}.example.com`;
    case 'ipv4':
      return `192.0.2.${randomInteger(random, 1, 254)}`;
    case 'ipv6':
      return `2001:db8::${randomInteger(random, 1, 65_535).toString(16)}`;
    case 'duration':
      return `P${randomInteger(random, 1, 30)}D`;
    case 'regex':
      return '^[a-z]+$';
    case 'json-pointer':
      return `/${pickOne(random, fillerWords)}/${randomInteger(random, 0, 9)}`;
    default:
      return undefined;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function uuid(random: RandomSource): string {
  const hex = Array.from({ length: 32 }, () => randomInteger(random, 0, 15).toString(16));
  hex[12] = '4';
  hex[16] = pickOne(random, ['8', '9', 'a', 'b']);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/** Candidates that often satisfy patterns we cannot parse; each is checked before use. */
function patternFallback(
  pattern: string,
  context: StringSampleContext,
  fits: (text: string) => boolean,
): string | undefined {
  let expression: RegExp;
  try {
    expression = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const candidates = [
    textForName(context),
    excerpt(context.contextText, 6),
    ...['0', '1', 'a', 'A', 'a1'].flatMap((unit) => [unit, unit.repeat(3), unit.repeat(8), unit.repeat(16)]),
    '',
  ];
  return candidates.find((candidate) => fits(candidate) && expression.test(candidate));
}

function textForName(context: StringSampleContext): string {
  const { random, propertyName } = context;
  const name = (propertyName ?? '').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const lastWord =
    name
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 0)
      .at(-1) ?? '';
  if (queryLikeNames.has(name) || queryLikeNames.has(lastWord)) {
    return excerpt(context.contextText, 12).replace(/…$/, '') || 'simulated query';
  }
  if (name === 'name' || lastWord === 'author' || name === 'full_name') return pickOne(random, people);
  if (['city', 'location', 'place', 'destination', 'origin'].includes(lastWord))
    return pickOne(random, places);
  if (lastWord === 'email') return sampleFormat('email', random) ?? 'ada@example.com';
  if (['url', 'uri', 'link', 'website', 'href'].includes(lastWord)) return sampleFormat('uri', random) ?? '';
  if (lastWord === 'id') return `id_${randomBase62(random, 10)}`;
  if (['language', 'lang', 'locale'].includes(lastWord)) return pickOne(random, ['en', 'fr', 'de', 'ja']);
  if (lastWord === 'currency') return pickOne(random, ['EUR', 'USD', 'JPY']);
  const topicWords = significantWords(context.contextText);
  const pool = topicWords.length > 0 ? topicWords : fillerWords;
  const count = randomInteger(random, 1, 3);
  return Array.from({ length: count }, () => pickOne(random, pool)).join(' ');
}

/** Pads with filler words or cuts (by code points, as JSON Schema counts) into the bounds. */
function fitLength(text: string, minimumLength: number, maximumLength: number): string {
  const characters = [...text].slice(0, maximumLength);
  while (characters.length > minimumLength && characters.at(-1) === ' ') characters.pop();
  while (characters.length < minimumLength)
    characters.push(...(characters.length === 0 ? 'sample' : ' sample'));
  return characters.slice(0, maximumLength).join('');
}
