import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as a plain object. */
export type JsonSchema = { [keyword: string]: unknown };

/** Which side of the wire a schema describes: what a caller may send, or what the server sends. */
export type SchemaSide = 'input' | 'output';

/** A zod schema as standalone JSON Schema, named parts (`.meta({ id })`) under `$defs`. */
export function toStandaloneJsonSchema(schema: z.ZodType, side: SchemaSide): JsonSchema {
  return z.toJSONSchema(schema, { io: side, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
}

function rewriteReferences(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteReferences(item, names));
  if (value === null || typeof value !== 'object') return value;
  const rewritten: JsonSchema = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')) {
      const id = item.slice('#/$defs/'.length);
      rewritten[key] = `#/components/schemas/${names.get(id) ?? id}`;
    } else {
      rewritten[key] = rewriteReferences(item, names);
    }
  }
  return rewritten;
}

/**
 * The schemas of an OpenAPI document: each zod schema converted once per side, its named parts
 * hoisted into `components.schemas`. A part whose request form differs from its response form (a
 * default makes a field optional on input) is kept twice, the request one named `…Input`.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, side: SchemaSide): JsonSchema {
    const { $schema: _dialect, $defs, ...root } = toStandaloneJsonSchema(schema, side);
    const definitions = ($defs ?? {}) as Record<string, JsonSchema>;
    const renamed = new Set<string>();
    for (let round = 0; round <= Object.keys(definitions).length; round += 1) {
      const names = new Map(
        Object.keys(definitions).map((id) => [
          id,
          renamed.has(id) ? `${id}${side === 'input' ? 'Input' : 'Output'}` : id,
        ]),
      );
      const placed = Object.entries(definitions).map(
        ([id, definition]) =>
          [id, names.get(id) ?? id, rewriteReferences(definition, names) as JsonSchema] as const,
      );
      const conflict = placed.find(([, name, definition]) => {
        const existing = this.schemas[name];
        return existing !== undefined && !isDeepStrictEqual(existing, definition);
      });
      if (!conflict) {
        for (const [, name, definition] of placed) this.schemas[name] = definition;
        return rewriteReferences(root, names) as JsonSchema;
      }
      if (renamed.has(conflict[0])) {
        throw new Error(
          `Two different schemas are named '${conflict[1]}' in the OpenAPI document; give one another id.`,
        );
      }
      renamed.add(conflict[0]);
    }
    throw new Error('The OpenAPI schema names did not settle.');
  }
}
