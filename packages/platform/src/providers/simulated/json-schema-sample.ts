import type { JsonSchema } from '../../model/index.ts';
import type { RandomSource } from '../../support/index.ts';
import { canonicalJson, pickOne, randomInteger } from './deterministic-random.ts';
import { asSchema, flattenSchema } from './merge-json-schemas.ts';
import { sampleString } from './sample-string.ts';
import { mentionsExamples, schemaAccepts } from './schema-validation.ts';

/** Beyond this depth optional properties are left out and arrays take their minimum length. */
const optionalDepthLimit = 6;
/** Beyond this depth recursion stops, so a self-referencing schema still yields a value. */
const hardDepthLimit = 16;
const defaultNumberSpan = 100;

/** What a sample is generated from besides the schema. */
export interface JsonSchemaSampleOptions {
  random: RandomSource;
  /** The prompt; query-like string properties quote it. */
  contextText: string;
}

/**
 * A value valid against `schema`, chosen deterministically by `options.random`. Handles the
 * subset tools and structured outputs use: types (including unions with null), objects with
 * required and optional properties, examples (the first is returned), enum/const, anyOf/oneOf/allOf, local $ref, string formats,
 * patterns and lengths, number bounds and multiples, and arrays with length bounds.
 */
export function sampleJsonSchema(schema: JsonSchema, options: JsonSchemaSampleOptions): unknown {
  const sample = new SchemaSampler(schema, options, true).sample(schema, 0, undefined);
  // why: an example can break its own schema (an empty list under minItems: 1); a model that
  // copied it would answer with something the caller must reject, so it is generated instead.
  if (!mentionsExamples(schema) || schemaAccepts(schema, sample) !== false) return sample;
  return new SchemaSampler(schema, options, false).sample(schema, 0, undefined);
}

class SchemaSampler {
  constructor(
    private readonly root: JsonSchema,
    private readonly options: JsonSchemaSampleOptions,
    private readonly useExamples: boolean,
  ) {}

  sample(input: JsonSchema, depth: number, propertyName: string | undefined): unknown {
    const schema = flattenSchema(this.root, asSchema(input));
    if ('const' in schema) return schema.const;
    // Why: a schema's author vouches for its examples; answering with the first one lets callers
    // (an agent planner, a test) get a meaningful structured answer instead of random values.
    if (this.useExamples && Array.isArray(schema.examples) && schema.examples.length > 0)
      return schema.examples[0];
    if (Array.isArray(schema.enum) && schema.enum.length > 0)
      return pickOne(this.options.random, schema.enum);
    switch (chooseType(schema)) {
      case 'object':
        return this.sampleObject(schema, depth);
      case 'array':
        return this.sampleArray(schema, depth, propertyName);
      case 'integer':
        return this.sampleInteger(schema);
      case 'number':
        return this.sampleNumber(schema);
      case 'boolean':
        return this.options.random() < 0.5;
      case 'null':
        return null;
      default:
        return sampleString(schema, { ...this.options, propertyName });
    }
  }

  private sampleObject(schema: JsonSchema, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    if (depth >= hardDepthLimit) return result;
    const required = new Set(schema.required ?? []);
    const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (property === (false as unknown)) continue;
      if (!required.has(name) && depth >= optionalDepthLimit) continue;
      setMember(result, name, this.sample(asSchema(property), depth + 1, name));
    }
    for (const name of required) {
      if (!Object.hasOwn(result, name)) setMember(result, name, this.sample(extra, depth + 1, name));
    }
    const minimumProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
    for (let index = 1; Object.keys(result).length < minimumProperties && index < 1000; index += 1) {
      if (schema.additionalProperties === false) break;
      const name = `extra_${index}`;
      if (!Object.hasOwn(result, name)) setMember(result, name, this.sample(extra, depth + 1, name));
    }
    return result;
  }

  private sampleArray(schema: JsonSchema, depth: number, propertyName: string | undefined): unknown[] {
    const { random } = this.options;
    const minimum = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const maximum = typeof schema.maxItems === 'number' ? schema.maxItems : Number.POSITIVE_INFINITY;
    const tuple = Array.isArray(schema.prefixItems)
      ? schema.prefixItems.map(asSchema)
      : Array.isArray(schema.items)
        ? (schema.items as unknown[]).map(asSchema)
        : [];
    const rest = Array.isArray(schema.items)
      ? asSchema(schema.additionalItems)
      : schema.items === undefined
        ? {}
        : asSchema(schema.items);
    const preferred =
      depth >= optionalDepthLimit ? minimum : randomInteger(random, Math.max(minimum, 1), minimum + 3);
    const count =
      depth >= hardDepthLimit ? minimum : Math.min(Math.max(preferred, minimum, tuple.length), maximum);
    const items: unknown[] = [];
    const seen = new Set<string>();
    // Why extra attempts: uniqueItems may reject duplicates, typically from a short enum.
    for (let attempt = 0; items.length < count && attempt < count * 8; attempt += 1) {
      const itemSchema = tuple[items.length] ?? rest;
      const item = this.sample(itemSchema, depth + 1, singular(propertyName));
      const key = canonicalJson(item);
      if (schema.uniqueItems === true && seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
    return items;
  }

  private sampleInteger(schema: JsonSchema): number {
    let lowest = Number.NEGATIVE_INFINITY;
    let highest = Number.POSITIVE_INFINITY;
    if (typeof schema.minimum === 'number') lowest = Math.ceil(schema.minimum);
    if (typeof schema.exclusiveMinimum === 'number')
      lowest = Math.max(lowest, Math.floor(schema.exclusiveMinimum) + 1);
    if (typeof schema.maximum === 'number') highest = Math.floor(schema.maximum);
    if (typeof schema.exclusiveMaximum === 'number')
      highest = Math.min(highest, Math.ceil(schema.exclusiveMaximum) - 1);
    [lowest, highest] = defaultRange(lowest, highest, 1);
    const step =
      typeof schema.multipleOf === 'number' && Number.isInteger(schema.multipleOf) ? schema.multipleOf : 1;
    const first = Math.ceil(lowest / step);
    const last = Math.floor(highest / step);
    return (last < first ? first : randomInteger(this.options.random, first, last)) * step || 0;
  }

  private sampleNumber(schema: JsonSchema): number {
    const { random } = this.options;
    const exclusiveLow = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
    const exclusiveHigh = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
    const low = Math.max(
      schema.minimum ?? Number.NEGATIVE_INFINITY,
      exclusiveLow ?? Number.NEGATIVE_INFINITY,
    );
    const high = Math.min(
      schema.maximum ?? Number.POSITIVE_INFINITY,
      exclusiveHigh ?? Number.POSITIVE_INFINITY,
    );
    const [lowest, highest] = defaultRange(low, high, 0);
    const valid = (value: number) =>
      value >= lowest &&
      value <= highest &&
      (exclusiveLow === undefined || value > exclusiveLow) &&
      (exclusiveHigh === undefined || value < exclusiveHigh);
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const step = schema.multipleOf;
      const decimals = (String(step).split('.')[1] ?? '').length;
      const first = Math.ceil(lowest / step);
      const last = Math.floor(highest / step);
      for (const multiple of [randomInteger(random, first, last), first, first + 1, last - 1, last]) {
        const value = Number((multiple * step).toFixed(decimals));
        if (valid(value)) return value;
      }
    }
    const value = Math.round((lowest + random() * (highest - lowest)) * 100) / 100;
    if (valid(value)) return value;
    const middle = (lowest + highest) / 2;
    return valid(middle) ? middle : lowest;
  }
}

/** The type to generate: the first non-null one, or one inferred from the keywords present. */
function chooseType(schema: JsonSchema): string | undefined {
  const declared = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (declared.length > 0) return declared.find((type) => type !== 'null') ?? declared[0];
  if (schema.properties || schema.required || schema.additionalProperties !== undefined) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined || schema.minItems !== undefined)
    return 'array';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined)
    return 'number';
  if (schema.exclusiveMinimum !== undefined || schema.exclusiveMaximum !== undefined) return 'number';
  return 'string';
}

/** Open bounds get a span of a hundred, so values stay readable. */
function defaultRange(lowest: number, highest: number, fallbackLowest: number): [number, number] {
  const lowFinite = Number.isFinite(lowest);
  const highFinite = Number.isFinite(highest);
  if (lowFinite && highFinite) return [lowest, highest];
  if (lowFinite) return [lowest, lowest + defaultNumberSpan];
  if (highFinite) return [highest >= fallbackLowest ? fallbackLowest : highest - defaultNumberSpan, highest];
  return [fallbackLowest, fallbackLowest + defaultNumberSpan];
}

/** `tags` → `tag`, so array items get names the string sampler recognises. */
function singular(name: string | undefined): string | undefined {
  return name?.endsWith('s') && name.length > 3 ? name.slice(0, -1) : name;
}

/** Assigns without letting a property named `__proto__` change the prototype. */
function setMember(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
