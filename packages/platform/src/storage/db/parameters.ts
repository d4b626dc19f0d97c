/**
 * Parameter values as callers pass them, turned into Postgres text input before either driver sees
 * them, so PGlite and node-postgres receive the very same strings:
 *
 * | JS value | sent as | typical column |
 * | --- | --- | --- |
 * | `string` | itself | text, and any type Postgres parses from text (uuid, numeric, interval, …) |
 * | `number` | `String(value)` | int4, int8, float8, numeric |
 * | `bigint` | `value.toString()` | int8, numeric |
 * | `boolean` | `'true'` / `'false'` | bool |
 * | `Date` | `toISOString()` (UTC, ms) | timestamptz |
 * | `Uint8Array` / `Buffer` | `\x…` hex | bytea |
 * | array of the above (nested for more dimensions) | array literal `{…}` | text[], int4[], … |
 * | `null` / `undefined` | NULL | any |
 *
 * JSON is never inferred: pass `JSON.stringify(value)` for json/jsonb, because an array would otherwise
 * be ambiguous between a JSON array and a Postgres array. Plain objects are refused for that reason.
 */
export function toParameterText(value: unknown, position: number): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new TypeError(`Parameter $${position} is an invalid Date.`);
    }
    return value.toISOString();
  }
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (Array.isArray(value)) return arrayLiteral(value, position);
  throw new TypeError(
    `Parameter $${position} is a ${describe(value)}, which has no Postgres text form; pass JSON.stringify(value) for json/jsonb columns.`,
  );
}

/** Converts every parameter with {@link toParameterText}; `$n` in errors counts from 1. */
export function toParameterTexts(parameters: readonly unknown[]): (string | null)[] {
  return parameters.map((value, index) => toParameterText(value, index + 1));
}

function arrayLiteral(values: readonly unknown[], position: number): string {
  const elements = values.map((element) => {
    if (element === null || element === undefined) return 'NULL';
    if (Array.isArray(element)) return arrayLiteral(element, position);
    const text = toParameterText(element, position) ?? '';
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  });
  return `{${elements.join(',')}}`;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'object';
  return typeof value;
}
