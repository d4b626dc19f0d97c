import type { Schemas } from '@qdrant/js-client-rest';

export type QdrantCondition = Schemas['Condition'];

/** A metadata filter as Qdrant conditions, and whether every part of it became a condition. */
export interface TranslatedFilter {
  /** Conditions on `metadata.<key>` that every chunk the SQL filter accepts also meets. */
  conditions: QdrantCondition[];
  /**
   * False when a part of the filter has no Qdrant condition (an empty object or array, an array
   * of objects, a key Qdrant's path syntax cannot name, an integer beyond 2^53): Qdrant then
   * returns a wider candidate set, and the search reads more candidates per page.
   */
  complete: boolean;
}

/** Keys that are one segment of Qdrant's payload path syntax (no `.`, `[`, `]`, quotes or spaces). */
const plainKey = /^[\p{L}\p{N}_-]+$/u;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function scalarCondition(key: string, value: boolean | number | string | null): QdrantCondition | null {
  if (value === null) return { is_null: { key } };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { key, match: { value } };
    // why a range: Qdrant matches only whole numbers and keywords; a fraction is its own bounds.
    if (Number.isFinite(value) && !Number.isInteger(value)) return { key, range: { gte: value, lte: value } };
    return null;
  }
  return { key, match: { value } };
}

function translateValue(key: string, value: Json | undefined, into: QdrantCondition[]): boolean {
  if (Array.isArray(value)) {
    // jsonb: an array filter holds when every element is contained in some element of the
    // metadata array. Qdrant matches a scalar against each element of an array payload.
    if (value.length === 0) return false;
    let complete = true;
    for (const element of value) {
      if (element === null || typeof element === 'object') {
        complete = false;
        continue;
      }
      const condition = scalarCondition(key, element);
      if (condition) into.push(condition);
      else complete = false;
    }
    return complete;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return false;
    let complete = true;
    for (const [child, childValue] of entries) {
      if (!plainKey.test(child)) {
        complete = false;
        continue;
      }
      complete = translateValue(`${key}.${child}`, childValue, into) && complete;
    }
    return complete;
  }
  // why undefined passes: JSON.stringify drops the key, so the SQL filter does not ask for it.
  if (value === undefined) return true;
  if (
    value !== null &&
    typeof value !== 'string' &&
    typeof value !== 'number' &&
    typeof value !== 'boolean'
  ) {
    return false;
  }
  const condition = scalarCondition(key, value);
  if (condition) into.push(condition);
  return condition !== null;
}

/**
 * Translates a metadata filter with PostgreSQL's containment meaning (`metadata @> filter`: every
 * key present, scalars equal, nested objects contained, every element of a filter array found in
 * the metadata array) into Qdrant conditions on the payload under `prefix`.
 *
 * The conditions are necessary, not sufficient: every chunk the SQL filter accepts passes them,
 * but Qdrant also matches a scalar inside an array (`{"tag": "a"}` accepts `{"tag": ["a"]}`), and
 * parts it cannot express are left out (see {@link TranslatedFilter.complete}). Search therefore
 * applies the exact filter again in SQL when it reads the hits' rows.
 */
export function translateMetadataFilter(
  filter: Record<string, unknown> | undefined,
  prefix = 'metadata',
): TranslatedFilter {
  const conditions: QdrantCondition[] = [];
  if (!filter) return { conditions, complete: true };
  let complete = true;
  for (const [key, value] of Object.entries(filter)) {
    if (!plainKey.test(key)) {
      complete = false;
      continue;
    }
    complete = translateValue(`${prefix}.${key}`, value as Json, conditions) && complete;
  }
  return { conditions, complete };
}
