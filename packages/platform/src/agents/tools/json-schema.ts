import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The largest argument schema accepted from an organisation or an MCP server (serialised bytes). */
export const maxSchemaBytes = 64 * 1024;

// why: ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function newAjv(): Ajv {
  // strict: false because schemas come from tenants and MCP servers that use annotations ajv does
  // not know (e.g. `examples`, vendor keys); they are still checked against the draft-07 meta-schema.
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: true });
  addFormats(ajv);
  return ajv;
}

const ajv = newAjv();

/** The schema without a `$schema` pointer (any draft is read as draft-07, which is what tools use). */
function normalized(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _draft, $id: _id, ...rest } = schema;
  return rest;
}

function formatError(error: ErrorObject): string {
  const where =
    error.instancePath === '' ? 'arguments' : `arguments${error.instancePath.replaceAll('/', '.')}`;
  if (error.keyword === 'additionalProperties') {
    return `${where} has an unexpected property '${String(error.params.additionalProperty)}'`;
  }
  if (error.keyword === 'required')
    return `${where} is missing the property '${String(error.params.missingProperty)}'`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/**
 * Why a tool's argument schema is unusable, or null: it must be a JSON object schema
 * (`type: "object"`), valid against the JSON Schema meta-schema, compilable, and small.
 */
export function argumentSchemaProblem(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return 'must be a JSON schema object';
  const serialized = JSON.stringify(schema);
  if (serialized.length > maxSchemaBytes) return `must be at most ${maxSchemaBytes} bytes of JSON`;
  const record = schema as Record<string, unknown>;
  if (record.type !== 'object') return 'must describe an object (`"type": "object"`), as tool arguments are';
  const candidate = normalized(record);
  if (!ajv.validateSchema(candidate)) {
    const first = ajv.errors?.[0];
    const path = first?.instancePath ? ` at ${first.instancePath}` : '';
    return `is not a valid JSON schema${path}: ${first?.message ?? 'invalid'}`;
  }
  try {
    new Ajv({ strict: false }).compile(candidate);
  } catch (error) {
    return `cannot be compiled: ${(error as Error).message}`;
  }
  return null;
}

/** A compiled argument validator: null when the arguments fit, else a message for the model. */
export type ArgumentValidator = (value: unknown) => string | null;

/** Compiles a schema once; throws when it is unusable (check with argumentSchemaProblem first). */
export function compileArgumentValidator(schema: Record<string, unknown>): ArgumentValidator {
  const validate: ValidateFunction = ajv.compile(normalized(schema));
  return (value) => {
    if (validate(value)) return null;
    return (validate.errors ?? []).slice(0, 3).map(formatError).join('; ') || 'arguments are invalid';
  };
}
