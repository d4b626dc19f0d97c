import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../model/index.ts';
import { seededRandom } from '../../support/index.ts';
import { sampleJsonSchema } from './json-schema-sample.ts';

const ajv = new Ajv({ strict: false, allErrors: true });
formatsPlugin.default(ajv);

const contextText = 'Find recent papers about solar panel efficiency in cold climates';

function expectValidForManySeeds(schema: JsonSchema, seeds = 40): unknown[] {
  const validate = ajv.compile(schema);
  const samples: unknown[] = [];
  for (let seed = 1; seed <= seeds; seed += 1) {
    const value = sampleJsonSchema(schema, { random: seededRandom(seed), contextText });
    const valid = validate(value);
    if (!valid) throw new Error(`seed ${seed}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`);
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    samples.push(value);
  }
  return samples;
}

describe('sampleJsonSchema', () => {
  it('is deterministic for the same seed and varies across seeds', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { title: { type: 'string' }, rating: { type: 'integer', minimum: 1, maximum: 5 } },
      required: ['title', 'rating'],
    };
    const first = sampleJsonSchema(schema, { random: seededRandom(7), contextText });
    const second = sampleJsonSchema(schema, { random: seededRandom(7), contextText });
    expect(second).toEqual(first);
    const distinct = new Set(expectValidForManySeeds(schema).map((value) => JSON.stringify(value)));
    expect(distinct.size).toBeGreaterThan(5);
  });

  it('fills required and optional properties of nested objects without extra keys', () => {
    const schema: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      required: ['user'],
      properties: {
        user: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'address'],
          properties: {
            name: { type: 'string', minLength: 2 },
            address: {
              type: 'object',
              additionalProperties: false,
              required: ['city'],
              properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^\\d{5}$' } },
            },
          },
        },
        note: { type: 'string', maxLength: 10 },
      },
    };
    const samples = expectValidForManySeeds(schema) as Array<{
      user: { address: { zip?: string } };
      note?: string;
    }>;
    expect(
      samples.every((sample) => sample.note !== undefined && sample.user.address.zip !== undefined),
    ).toBe(true);
  });

  it('honours enum, const, booleans, null and type unions', () => {
    const samples = expectValidForManySeeds({
      type: 'object',
      properties: {
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        version: { const: 2 },
        verbose: { type: 'boolean' },
        nothing: { type: 'null' },
        maybe: { type: ['string', 'null'] },
        count: { type: ['integer', 'string'] },
      },
      required: ['unit', 'version', 'verbose', 'nothing', 'maybe', 'count'],
    }) as Array<{ unit: string; maybe: unknown; count: unknown }>;
    expect(new Set(samples.map((sample) => sample.unit))).toEqual(new Set(['celsius', 'fahrenheit']));
    expect(samples.every((sample) => typeof sample.maybe === 'string')).toBe(true);
    expect(samples.every((sample) => Number.isInteger(sample.count))).toBe(true);
  });

  it('respects integer and number bounds, exclusive bounds and multipleOf', () => {
    expectValidForManySeeds({
      type: 'object',
      properties: {
        small: { type: 'integer', minimum: -3, maximum: 3 },
        exclusive: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 2 },
        ratio: { type: 'number', minimum: 0, maximum: 1 },
        open: { type: 'number', exclusiveMinimum: 0.5, exclusiveMaximum: 0.51 },
        negative: { type: 'integer', maximum: -10 },
        large: { type: 'integer', minimum: 1000000 },
        step: { type: 'number', multipleOf: 0.25, minimum: 1, maximum: 2 },
        even: { type: 'integer', multipleOf: 2 },
      },
      required: ['small', 'exclusive', 'ratio', 'open', 'negative', 'large', 'step', 'even'],
    });
  });

  it('builds arrays within minItems and maxItems, unique when asked', () => {
    const samples = expectValidForManySeeds({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
        exact: { type: 'array', items: { type: 'integer' }, minItems: 3, maxItems: 3 },
        none: { type: 'array', items: { type: 'string' }, maxItems: 0 },
        unique: { type: 'array', items: { enum: ['a', 'b', 'c'] }, minItems: 2, uniqueItems: true },
        matrix: {
          type: 'array',
          items: { type: 'array', items: { type: 'number' }, minItems: 1 },
          minItems: 1,
        },
      },
      required: ['tags', 'exact', 'none', 'unique', 'matrix'],
    }) as Array<{ tags: unknown[] }>;
    expect(samples.every((sample) => sample.tags.length >= 2)).toBe(true);
  });

  it('follows $ref into $defs and definitions, including recursive schemas', () => {
    expectValidForManySeeds({
      type: 'object',
      $defs: {
        step: {
          type: 'object',
          properties: {
            action: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/step' } },
          },
          required: ['action'],
          additionalProperties: false,
        },
      },
      definitions: { priority: { type: 'string', enum: ['low', 'high'] } },
      properties: { plan: { $ref: '#/$defs/step' }, priority: { $ref: '#/definitions/priority' } },
      required: ['plan', 'priority'],
    });
  });

  it('takes anyOf and oneOf branches and merges allOf', () => {
    const samples = expectValidForManySeeds({
      type: 'object',
      properties: {
        optional: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'null' }] },
        nullFirst: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 5, maximum: 6 }] },
        shape: {
          oneOf: [
            {
              type: 'object',
              properties: { kind: { const: 'circle' }, radius: { type: 'number' } },
              required: ['kind', 'radius'],
            },
            {
              type: 'object',
              properties: { kind: { const: 'square' }, side: { type: 'number' } },
              required: ['kind', 'side'],
            },
          ],
        },
        combined: {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
            { type: 'object', properties: { b: { type: 'integer', minimum: 10 } }, required: ['b'] },
          ],
        },
      },
      required: ['optional', 'nullFirst', 'shape', 'combined'],
    }) as Array<{ optional: unknown; nullFirst: unknown }>;
    expect(samples.every((sample) => typeof sample.optional === 'string')).toBe(true);
    expect(samples.every((sample) => typeof sample.nullFirst === 'number')).toBe(true);
  });

  it('produces valid formats', () => {
    const formats = [
      'date-time',
      'date',
      'time',
      'email',
      'uri',
      'uuid',
      'hostname',
      'ipv4',
      'ipv6',
      'duration',
    ];
    expectValidForManySeeds({
      type: 'object',
      properties: Object.fromEntries(formats.map((format) => [format, { type: 'string', format }])),
      required: formats,
    });
  });

  it('matches simple patterns and keeps string lengths', () => {
    expectValidForManySeeds({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
        digits: { type: 'string', pattern: '^[0-9]+$', maxLength: 6 },
        slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
        choice: { type: 'string', pattern: '^(red|green|blue)$' },
        unanchored: { type: 'string', pattern: 'abc' },
        phone: { type: 'string', pattern: '^\\+?[1-9]\\d{1,14}$' },
        short: { type: 'string', minLength: 5, maxLength: 5 },
        long: { type: 'string', minLength: 40 },
      },
      required: ['code', 'digits', 'slug', 'choice', 'unanchored', 'phone', 'short', 'long'],
    });
  });

  it('quotes the context text in query-like properties', () => {
    const value = sampleJsonSchema(
      { type: 'object', properties: { query: { type: 'string' }, searchTerm: { type: 'string' } } },
      { random: seededRandom(3), contextText },
    ) as { query: string; searchTerm: string };
    expect(value.query).toContain('solar panel efficiency');
    expect(value.searchTerm).toContain('Find recent papers');
  });

  it('does not let a property named __proto__ change the prototype', () => {
    const value = sampleJsonSchema(
      { type: 'object', properties: { ['__proto__']: { type: 'string' } }, required: ['__proto__'] },
      { random: seededRandom(1), contextText },
    );
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });

  it('answers with the first example a schema gives, at any depth', () => {
    const plan = { subtasks: [{ id: 'a', role: 'writer', depends_on: [] }] };
    const schema: JsonSchema = {
      type: 'object',
      properties: { plan: { type: 'object', examples: [plan, { subtasks: [] }] }, note: { type: 'string' } },
      required: ['plan', 'note'],
    };
    for (const value of expectValidForManySeeds(schema)) {
      expect((value as { plan: unknown }).plan).toEqual(plan);
    }
  });

  it('generates a value instead of copying an example that breaks its own schema', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['subtasks'],
      properties: {
        subtasks: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        },
      },
      examples: [{ subtasks: [] }],
    };
    for (const value of expectValidForManySeeds(schema)) {
      expect((value as { subtasks: unknown[] }).subtasks.length).toBeGreaterThan(0);
    }
  });
});
