import pg from 'pg';

/** Parses one value in Postgres's text output format. */
export type TextParser = (text: string) => unknown;

/** Type OIDs (stable across Postgres versions) whose parsing both backends must agree on. */
export const typeOids = {
  int8: 20,
  int8Array: 1016,
  numericArray: 1231,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestampArray: 1115,
  timestamptz: 1184,
  interval: 1186,
  intervalArray: 1187,
} as const;

const keepText: TextParser = (text) => text;

/**
 * int8 → number, as database.ts promises. Values beyond 2^53 lose precision; cast to text or numeric
 * in SQL where that matters.
 */
const parseInt8: TextParser = (text) => Number(text);

/**
 * timestamptz → Date through node-postgres's parser in both backends, so edge cases (BC dates,
 * infinity, sub-millisecond digits) come out identically.
 */
const parseTimestamptz: TextParser = pg.types.getTypeParser(typeOids.timestamptz, 'text');

/**
 * Element parsers both backends share. date and timestamp (without time zone) stay strings because
 * they name no instant: node-postgres would read them in the process's local zone and PGlite in UTC.
 * interval stays a string (node-postgres would otherwise build an object).
 */
export const elementParsers: ReadonlyMap<number, TextParser> = new Map([
  [typeOids.int8, parseInt8],
  [typeOids.date, keepText],
  [typeOids.timestamp, keepText],
  [typeOids.timestamptz, parseTimestamptz],
  [typeOids.interval, keepText],
]);

type NestedArray = (string | null | NestedArray)[];

const textArrayOid = 1009;
// why: pg's typings only list element types, not array OIDs, so the lookup is widened to number.
const lookUpParser = pg.types.getTypeParser as (oid: number, format: 'text') => (text: string) => NestedArray;
const parseTextArray = lookUpParser(textArrayOid, 'text');

function mapNested(values: NestedArray, parse: TextParser): unknown[] {
  return values.map((value) => {
    if (value === null) return null;
    if (Array.isArray(value)) return mapNested(value, parse);
    return parse(value);
  });
}

function arrayOf(parse: TextParser): TextParser {
  return (text) => mapNested(parseTextArray(text), parse);
}

/**
 * The array parsers node-postgres needs on top of its defaults to agree with PGlite, which derives
 * every array parser from its element parser (numeric[] would otherwise become number[]).
 */
export const arrayParsers: ReadonlyMap<number, TextParser> = new Map([
  [typeOids.int8Array, arrayOf(parseInt8)],
  [typeOids.numericArray, arrayOf(keepText)],
  [typeOids.dateArray, arrayOf(keepText)],
  [typeOids.timestampArray, arrayOf(keepText)],
  [typeOids.intervalArray, arrayOf(keepText)],
]);
