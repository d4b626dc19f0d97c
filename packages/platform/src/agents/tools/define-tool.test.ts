import { describe, expect, it } from 'vitest';
import type { ToolExecutionContext } from '../tool-contract.ts';
import { defineTool } from './define-tool.ts';
import { argumentSchemaProblem } from './json-schema.ts';

const context = (signal = new AbortController().signal): ToolExecutionContext => ({
  organizationId: 'org_test',
  runId: 'run_1',
  stepKey: 'step-1',
  signal,
});

const echo = defineTool(
  {
    name: 'echo',
    description: 'Echoes text.',
    parameters: {
      type: 'object',
      properties: { text: { type: 'string', maxLength: 50 }, times: { type: 'integer', minimum: 1 } },
      required: ['text'],
      additionalProperties: false,
    },
  },
  async (argumentsValue) => String(argumentsValue.text).repeat(Number(argumentsValue.times ?? 1)),
  { timeoutMs: 200, maxOutputCharacters: 20 },
);

describe('defineTool', () => {
  it('runs with valid arguments given as JSON text or as a value', async () => {
    expect(await echo.execute('{"text":"hi"}', context())).toEqual({ ok: true, output: 'hi' });
    expect(await echo.execute({ text: 'hi', times: 2 }, context())).toEqual({ ok: true, output: 'hihi' });
  });

  it('returns invalid arguments to the model instead of running', async () => {
    expect(await echo.execute('{"text":', context())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not valid JSON/),
    });
    expect(await echo.execute({}, context())).toEqual({
      ok: false,
      error: "Invalid arguments for echo: arguments is missing the property 'text'.",
    });
    expect(await echo.execute({ text: 'a', extra: 1 }, context())).toMatchObject({
      error: expect.stringMatching(/unexpected property 'extra'/),
    });
    expect(await echo.execute({ text: 'a', times: 0 }, context())).toMatchObject({
      error: expect.stringMatching(/arguments\.times must be >= 1/),
    });
  });

  it('cuts long output and says so', async () => {
    const result = await echo.execute({ text: 'abcdef', times: 5 }, context());
    expect(result).toMatchObject({
      ok: true,
      output: expect.stringMatching(/^abcdefabcdefabcdefab\n\[truncated/),
    });
  });

  it('turns thrown errors, time-outs and cancellation into results', async () => {
    const failing = defineTool(
      { name: 'fail', description: '', parameters: { type: 'object' } },
      async () => {
        throw new Error('upstream exploded');
      },
    );
    expect(await failing.execute({}, context())).toEqual({ ok: false, error: 'upstream exploded' });

    let sawAbort = false;
    const slow = defineTool(
      { name: 'slow', description: '', parameters: { type: 'object' } },
      (_arguments, executionContext) =>
        new Promise((resolve) => {
          executionContext.signal.addEventListener('abort', () => {
            sawAbort = true;
          });
          setTimeout(() => resolve('late'), 5_000).unref();
        }),
      { timeoutMs: 50, maxOutputCharacters: 100 },
    );
    expect(await slow.execute({}, context())).toEqual({
      ok: false,
      error: 'The tool did not finish within 50 ms.',
    });
    expect(sawAbort).toBe(true);

    const run = new AbortController();
    const pending = slow.execute({}, context(run.signal));
    run.abort(new Error('cancelled'));
    expect(await pending).toEqual({ ok: false, error: 'The run was cancelled while the tool ran.' });
  });
});

describe('argument schemas', () => {
  it('accepts object schemas and explains the rest', () => {
    expect(argumentSchemaProblem({ type: 'object', properties: { a: { type: 'string' } } })).toBeNull();
    expect(
      argumentSchemaProblem({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }),
    ).toBeNull();
    expect(argumentSchemaProblem([])).toBe('must be a JSON schema object');
    expect(argumentSchemaProblem({ type: 'string' })).toMatch(/must describe an object/);
    expect(argumentSchemaProblem({ type: 'object', properties: { a: { type: 'strng' } } })).toMatch(
      /not a valid JSON schema at \/properties\/a\/type/,
    );
    expect(argumentSchemaProblem({ type: 'object', required: 'a' })).toMatch(/not a valid JSON schema/);
    expect(argumentSchemaProblem({ type: 'object', properties: { a: { $ref: '#/nowhere' } } })).toMatch(
      /cannot be compiled/,
    );
  });
});
