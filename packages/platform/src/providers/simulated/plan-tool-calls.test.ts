import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatResult, LanguageModel, ToolDefinition } from '../../model/index.ts';
import { loadTokenizer, type Tokenizer } from '../../support/index.ts';
import { createSimulatedProvider } from './simulated-provider.ts';
import { recordingClock, userRequest } from './simulated-test-support.ts';

const options = { requestId: 'request-1' };
const ajv = new Ajv({ strict: false });
formatsPlugin.default(ajv);

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'Get the current weather forecast for a city',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', minimum: 1, maximum: 7 },
    },
    required: ['city', 'unit'],
  },
};
const search: ToolDefinition = {
  name: 'search_web',
  description: 'Search the internet for recent news articles',
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 3 },
      limit: { type: 'integer', minimum: 1, maximum: 20 },
    },
    required: ['query'],
  },
};
const calendar: ToolDefinition = {
  name: 'create_event',
  description: 'Create a calendar event',
  parameters: {
    type: 'object',
    $defs: {
      attendee: {
        type: 'object',
        properties: { email: { type: 'string', format: 'email' } },
        required: ['email'],
      },
    },
    properties: {
      title: { type: 'string' },
      start: { type: 'string', format: 'date-time' },
      attendees: { type: 'array', items: { $ref: '#/$defs/attendee' }, minItems: 1 },
    },
    required: ['title', 'start', 'attendees'],
  },
};
const tools = [weather, search, calendar];

let tokenizer: Tokenizer;
let model: LanguageModel;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
  model = createSimulatedProvider({ tokenizer, clock: recordingClock() }).languageModel('fast');
});

function expectValidCalls(result: ChatResult): void {
  const choice = result.choices[0];
  expect(choice?.finishReason).toBe('tool_calls');
  expect(choice?.content).toBeNull();
  for (const call of choice?.toolCalls ?? []) {
    expect(call.id).toMatch(/^call_[0-9A-Za-z]{24}$/);
    const tool = tools.find((candidate) => candidate.name === call.name);
    expect(tool).toBeDefined();
    expect(ajv.validate(tool?.parameters ?? {}, JSON.parse(call.arguments)), ajv.errorsText()).toBe(true);
  }
}

function calledNames(result: ChatResult): string[] {
  return result.choices[0]?.toolCalls.map((call) => call.name) ?? [];
}

describe('simulated tool calls', () => {
  it('with auto, calls the tool whose words overlap the prompt', async () => {
    const result = await model.generate(userRequest('What will the WEATHER be in Lima?', { tools }), options);
    expect(calledNames(result)).toEqual(['get_weather']);
    expectValidCalls(result);
  });

  it('with auto, answers in text when no tool matches', async () => {
    const result = await model.generate(userRequest('Tell me a joke about penguins', { tools }), options);
    expect(result.choices[0]?.toolCalls).toEqual([]);
    expect(result.choices[0]?.finishReason).toBe('stop');
    expect(result.choices[0]?.content).toContain('penguins');
  });

  it('calls every matching tool in parallel, or only one when parallel calls are off', async () => {
    const prompt = 'Search the news for the weather forecast and create a calendar event for the picnic';
    const parallel = await model.generate(userRequest(prompt, { tools }), options);
    expect(calledNames(parallel).sort()).toEqual(['create_event', 'get_weather', 'search_web']);
    expectValidCalls(parallel);
    const ids = parallel.choices[0]?.toolCalls.map((call) => call.id) ?? [];
    expect(new Set(ids).size).toBe(3);
    const single = await model.generate(userRequest(prompt, { tools, parallelToolCalls: false }), options);
    expect(calledNames(single)).toHaveLength(1);
    expectValidCalls(single);
  });

  it('with required, always calls a tool', async () => {
    const result = await model.generate(
      userRequest('Tell me a joke about penguins', { tools, toolChoice: 'required' }),
      options,
    );
    expect(calledNames(result)).toHaveLength(1);
    expectValidCalls(result);
  });

  it('with a named tool, calls exactly that tool', async () => {
    const result = await model.generate(
      userRequest('What will the weather be in Lima?', { tools, toolChoice: { name: 'create_event' } }),
      options,
    );
    expect(calledNames(result)).toEqual(['create_event']);
    expectValidCalls(result);
  });

  it('rejects a named tool that is not offered', async () => {
    await expect(
      model.generate(userRequest('Hi', { tools, toolChoice: { name: 'delete_everything' } }), options),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', param: 'tool_choice', status: 400 });
    await expect(
      model.generate(userRequest('Hi', { toolChoice: 'required' }), options),
    ).rejects.toMatchObject({
      param: 'tool_choice',
    });
  });

  it('with none, answers in text even when a tool matches', async () => {
    const result = await model.generate(
      userRequest('What will the weather be in Lima?', { tools, toolChoice: 'none' }),
      options,
    );
    expect(result.choices[0]?.toolCalls).toEqual([]);
    expect(typeof result.choices[0]?.content).toBe('string');
  });

  it('quotes the prompt in query arguments and is deterministic', async () => {
    const request = userRequest('Search for news on fusion energy breakthroughs', { tools });
    const first = await model.generate(request, options);
    expect(await model.generate(request, options)).toEqual(first);
    const call = first.choices[0]?.toolCalls.find((candidate) => candidate.name === 'search_web');
    expect(JSON.parse(call?.arguments ?? '{}').query).toContain('fusion energy');
  });

  it('counts completion tokens from the tool calls', async () => {
    const result = await model.generate(userRequest('What will the weather be in Lima?', { tools }), options);
    const calls = result.choices[0]?.toolCalls ?? [];
    const expected = calls.reduce(
      (sum, call) => sum + tokenizer.countText(`${call.name}${call.arguments}`),
      0,
    );
    expect(result.usage?.completionTokens).toBe(expected);
  });
});
