import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../model/index.ts';
import { canonicalJson } from './deterministic-random.ts';

// why: ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Compiled schemas kept for reuse: a caller repeats its schema, and compiling costs milliseconds. */
const cacheLimit = 64;

const ajv = addFormats(new Ajv({ strict: false, allErrors: false, validateSchema: false }));
const compiled = new Map<string, { schema: object; validate: ValidateFunction | null }>();

function validatorFor(schema: JsonSchema): ValidateFunction | null {
  const { $schema: _draft, $id: _id, ...rest } = schema;
  const key = canonicalJson(rest);
  const cached = compiled.get(key);
  if (cached !== undefined) {
    compiled.delete(key);
    compiled.set(key, cached);
    return cached.validate;
  }
  let validate: ValidateFunction | null;
  try {
    validate = ajv.compile(rest);
  } catch {
    ajv.removeSchema(rest);
    validate = null;
  }
  compiled.set(key, { schema: rest, validate });
  const [oldestKey, oldest] = compiled.entries().next().value ?? [];
  if (compiled.size > cacheLimit && oldestKey !== undefined && oldest !== undefined) {
    // why: ajv keeps every schema it compiled; dropping ours from its cache bounds the memory.
    ajv.removeSchema(oldest.schema);
    compiled.delete(oldestKey);
  }
  return validate;
}

/**
 * Whether `value` is valid against `schema`; undefined when the schema cannot be compiled (then
 * nobody can tell, and the caller keeps its value).
 */
export function schemaAccepts(schema: JsonSchema, value: unknown): boolean | undefined {
  const validate = validatorFor(schema);
  return validate === null ? undefined : validate(value) === true;
}

/** True when `examples` occurs anywhere in the schema, so a sample may have been copied from one. */
export function mentionsExamples(schema: JsonSchema): boolean {
  return JSON.stringify(schema).includes('"examples"');
}
