import type { JsonSchema } from '../../model/index.ts';
import { canonicalJson } from './deterministic-random.ts';

const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/** JSON Schema allows `true`/`false` where a schema is expected; `true` means anything. */
export function asSchema(value: unknown): JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : {};
}

/**
 * Combines two schemas a value must satisfy at once (`allOf`, or a parent with its chosen
 * `anyOf` branch): properties and `required` are united, bounds tightened, types intersected.
 */
export function mergeSchemas(first: JsonSchema, second: JsonSchema): JsonSchema {
  const merged: JsonSchema = { ...first, ...second };
  if (first.properties && second.properties) {
    const properties: Record<string, JsonSchema> = { ...first.properties };
    for (const [name, schema] of Object.entries(second.properties)) {
      const existing = first.properties[name];
      properties[name] = existing === undefined ? schema : { allOf: [asSchema(existing), asSchema(schema)] };
    }
    merged.properties = properties;
  }
  if (first.required && second.required)
    merged.required = [...new Set([...first.required, ...second.required])];
  for (const key of lowerBounds) {
    const [a, b] = [first[key], second[key]];
    if (typeof a === 'number' && typeof b === 'number') merged[key] = Math.max(a, b);
  }
  for (const key of upperBounds) {
    const [a, b] = [first[key], second[key]];
    if (typeof a === 'number' && typeof b === 'number') merged[key] = Math.min(a, b);
  }
  if (first.type !== undefined && second.type !== undefined) {
    const type = intersectTypes(first.type, second.type);
    if (type.length > 0) merged.type = type.length === 1 ? type[0] : type;
  }
  if (first.enum && second.enum) {
    const allowed = new Set(second.enum.map((value) => canonicalJson(value)));
    const common = first.enum.filter((value) => allowed.has(canonicalJson(value)));
    if (common.length > 0) merged.enum = common;
  }
  if (first.additionalProperties === false || second.additionalProperties === false) {
    merged.additionalProperties = false;
  }
  return merged;
}

function intersectTypes(first: string | string[], second: string | string[]): string[] {
  const a = Array.isArray(first) ? first : [first];
  const b = Array.isArray(second) ? second : [second];
  const common: string[] = [];
  for (const type of a) {
    if (b.includes(type)) common.push(type);
    else if (type === 'integer' && b.includes('number')) common.push('integer');
    else if (type === 'number' && b.includes('integer')) common.push('integer');
  }
  return [...new Set(common)];
}

/** Follows a local `$ref` (`#`, `#/$defs/…`, `#/definitions/…` or any JSON pointer into the root). */
export function resolveReference(root: JsonSchema, reference: string): JsonSchema | undefined {
  if (!reference.startsWith('#')) return undefined;
  const pointer = reference.slice(1);
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let target: unknown = root;
  for (const encoded of pointer.slice(1).split('/')) {
    const segment = decodeURIComponent(encoded).replaceAll('~1', '/').replaceAll('~0', '~');
    if (target === null || typeof target !== 'object') return undefined;
    target = (target as Record<string, unknown>)[segment];
  }
  return target === undefined ? undefined : asSchema(target);
}

/**
 * Rewrites a schema until it has no `$ref`, `allOf`, `anyOf` or `oneOf` at its top level, so the
 * sampler only deals with plain keywords. `anyOf`/`oneOf` take the first branch that is not
 * just `null`, because an optional field is more useful filled in.
 */
export function flattenSchema(root: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  // Why a bound: a $ref cycle without any other keyword would otherwise never end.
  for (let step = 0; step < 32; step += 1) {
    const { $ref, allOf, anyOf, oneOf, ...rest } = current;
    if (typeof $ref === 'string') {
      const target = resolveReference(root, $ref);
      current = mergeSchemas(target ?? {}, {
        ...rest,
        ...(allOf ? { allOf } : {}),
        ...branches(anyOf, oneOf),
      });
    } else if (Array.isArray(allOf)) {
      current = allOf.reduce<JsonSchema>(
        (merged, part) => mergeSchemas(merged, flattenSchema(root, asSchema(part))),
        { ...rest, ...branches(anyOf, oneOf) },
      );
    } else if (Array.isArray(anyOf) || Array.isArray(oneOf)) {
      const choices = (anyOf ?? oneOf ?? []).map((choice) => flattenSchema(root, asSchema(choice)));
      const preferred = choices.find((choice) => choice.type !== 'null') ?? choices[0] ?? {};
      const remaining = Array.isArray(anyOf) && Array.isArray(oneOf) ? { oneOf } : {};
      current = mergeSchemas({ ...rest, ...remaining }, preferred);
    } else {
      return current;
    }
  }
  const { $ref: _reference, allOf: _all, anyOf: _any, oneOf: _one, ...plain } = current;
  return plain;
}

function branches(anyOf: JsonSchema[] | undefined, oneOf: JsonSchema[] | undefined): JsonSchema {
  return { ...(anyOf ? { anyOf } : {}), ...(oneOf ? { oneOf } : {}) };
}
