import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPlatformError } from '../../errors/index.ts';
import { camelCase, parseArguments, parseInput, restBodyOf, snakeCase } from './field-names.ts';

describe('GraphQL field names', () => {
  it('map camelCase to the REST snake_case and back', () => {
    expect(snakeCase('createdAt')).toBe('created_at');
    expect(snakeCase('cacheWrite1hTokens')).toBe('cache_write_1h_tokens');
    expect(snakeCase('timeoutS')).toBe('timeout_s');
    expect(snakeCase('id')).toBe('id');
    expect(camelCase('agents[0].depends_on')).toBe('agents[0].dependsOn');
  });

  it('turn an input into the REST body, keeping JSON values as given', () => {
    expect(
      restBodyOf({
        teamId: 't1',
        agents: [{ dependsOn: ['a'], routingPolicy: 'cost' }],
        metadata: { costCenter: 42 },
        omitted: undefined,
      }),
    ).toEqual({
      team_id: 't1',
      agents: [{ depends_on: ['a'], routing_policy: 'cost' }],
      metadata: { costCenter: 42 },
    });
  });

  it('name a refused field as the GraphQL caller wrote it', () => {
    const schema = z.strictObject({ team_id: z.string().min(2), top_k: z.number().max(5).optional() });
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (isPlatformError(error)) return error;
      }
      throw new Error('not refused');
    };
    const input = refusal(() => parseInput(schema, { teamId: 'x' }, 'input'));
    expect({ code: input.code, param: input.param }).toEqual({
      code: 'INVALID_REQUEST',
      param: 'input.teamId',
    });
    expect(input.message).toContain("'input.teamId'");
    const argument = refusal(() => parseArguments(schema, { teamId: 'ok', topK: 9 }));
    expect(argument.param).toBe('topK');
    expect(parseArguments(schema, { teamId: 'ok', topK: null })).toEqual({ team_id: 'ok' });
  });
});
