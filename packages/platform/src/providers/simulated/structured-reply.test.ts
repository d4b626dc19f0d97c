import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, JsonSchema } from '../../model/index.ts';
import { seededRandom } from '../../support/index.ts';
import { structuredReply, taskText } from './structured-reply.ts';

const ajv = new Ajv({ strict: false });

/** A plan schema as an agent planner sends it (the shape of agents/swarm-plan.ts). */
function planSchema(options: { roles?: string[]; maxItems?: number; examples?: unknown[] } = {}): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['subtasks'],
    properties: {
      subtasks: {
        type: 'array',
        minItems: 1,
        maxItems: options.maxItems ?? 10,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'role', 'instructions', 'depends_on'],
          properties: {
            id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
            role: options.roles ? { type: 'string', enum: options.roles } : { type: 'string', minLength: 1 },
            instructions: { type: 'string', minLength: 1 },
            depends_on: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    ...(options.examples ? { examples: options.examples } : {}),
  };
}

const plannerMessages = (task: string): ChatMessage[] => [
  { role: 'system', content: 'You plan the work of a team of agents.' },
  { role: 'user', content: `Task: ${task}\n\nRoles:\n- (any role you need)` },
];

type Plan = { subtasks: Array<{ id: string; role: string; depends_on: string[] }> };

function reply(schema: JsonSchema, messages: ChatMessage[], seed = 1): Plan {
  const value = structuredReply(schema, messages, { random: seededRandom(seed), contextText: '' });
  const validate = ajv.compile(schema);
  expect(validate(value), ajv.errorsText(validate.errors)).toBe(true);
  return value as Plan;
}

describe('structuredReply', () => {
  it('decomposes the task of a plan schema that offers no example', () => {
    const plan = reply(
      planSchema(),
      plannerMessages('Compare PostgreSQL and MongoDB for a multi-tenant SaaS'),
    );
    expect(plan.subtasks.map((subtask) => [subtask.id, subtask.role, subtask.depends_on])).toEqual([
      ['research-postgresql', 'researcher', []],
      ['research-mongodb', 'researcher', []],
      ['compare', 'analyst', ['research-postgresql', 'research-mongodb']],
      ['recommend', 'writer', ['compare']],
    ]);
  });

  it('decomposes instead of copying an example that breaks the schema', () => {
    const schema = planSchema({ examples: [{ subtasks: [] }] });
    const plan = reply(
      schema,
      plannerMessages('Explain how to reduce the carbon footprint of a data centre'),
    );
    expect(plan.subtasks.length).toBeGreaterThanOrEqual(3);
    expect(plan.subtasks.at(-1)?.role).toBe('synthesiser');
  });

  it('answers with a valid example unchanged', () => {
    const example = {
      subtasks: [
        { id: 'security', role: 'security', instructions: 'Review security.', depends_on: [] },
        { id: 'report', role: 'report', instructions: 'Write it up.', depends_on: ['security'] },
      ],
    };
    const schema = planSchema({ roles: ['security', 'report'], examples: [example] });
    expect(reply(schema, plannerMessages('Audit the service'))).toEqual(example);
  });

  it('uses only the roles the schema allows, and no more subtasks than it allows', () => {
    const schema = planSchema({ roles: ['web-researcher', 'report-writer'], maxItems: 3 });
    const plan = reply(schema, plannerMessages('Compare PostgreSQL and MongoDB for a multi-tenant SaaS'));
    expect(plan.subtasks.length).toBeLessThanOrEqual(3);
    expect(plan.subtasks.map((subtask) => subtask.role)).toEqual([
      'web-researcher',
      'web-researcher',
      'report-writer',
    ]);
  });

  it('is the same plan for the same task, whatever the random draw', () => {
    const messages = plannerMessages('Summarise the history of computing');
    expect(reply(planSchema(), messages, 1)).toEqual(reply(planSchema(), messages, 99));
  });

  it('samples any other schema from its keywords', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['title'],
      properties: { title: { type: 'string', minLength: 3 } },
      additionalProperties: false,
    };
    const value = structuredReply(schema, plannerMessages('Name a book'), {
      random: seededRandom(3),
      contextText: 'Name a book',
    });
    expect(ajv.validate(schema, value)).toBe(true);
    expect(Object.keys(value as object)).toEqual(['title']);
  });

  it('reads the task after a Task: label, or else the whole user message', () => {
    expect(taskText(plannerMessages('Compare A and B'))).toBe('Compare A and B');
    expect(taskText([{ role: 'user', content: 'Plan a trip  to Kyoto [[sim:latency_ms=5]]' }])).toBe(
      'Plan a trip to Kyoto',
    );
  });
});
