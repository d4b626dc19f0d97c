import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../model/index.ts';
import {
  convertToOpenAICompatibleRequest,
  type RequestConventions,
} from './convert-to-openai-compatible-request.ts';
import { openAIChatRequestSchema } from './openai-compatible-api.ts';

const conventions: RequestConventions = {
  maxTokensField: 'max_tokens',
  omittedParameters: [],
  includeStreamUsage: true,
};

function convert(request: Partial<ChatRequest>, overrides: Partial<RequestConventions> = {}, stream = false) {
  const body = convertToOpenAICompatibleRequest(
    { model: 'model-1', messages: [{ role: 'user', content: 'Hi' }], ...request },
    { ...conventions, ...overrides },
    stream,
  );
  // Why: the strict request schema catches any field we would send by mistake.
  expect(openAIChatRequestSchema.parse(body)).toEqual(body);
  return body;
}

describe('convertToOpenAICompatibleRequest', () => {
  it('converts tools, a named tool choice, parallel calls and a JSON schema', () => {
    const body = convert({
      tools: [{ name: 'lookup', parameters: { type: 'object' }, strict: true }],
      toolChoice: { name: 'lookup' },
      parallelToolCalls: false,
      responseFormat: {
        type: 'json_schema',
        name: 'answer',
        schema: { type: 'object' },
        description: 'The answer',
      },
    });
    expect(body).toMatchObject({
      tools: [
        { type: 'function', function: { name: 'lookup', parameters: { type: 'object' }, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, description: 'The answer' },
      },
    });
  });

  it('leaves out parallel_tool_calls without tools, a text format and an empty stop list', () => {
    const body = convert({ parallelToolCalls: true, responseFormat: { type: 'text' }, stop: [] });
    expect(body).toEqual({ model: 'model-1', messages: [{ role: 'user', content: 'Hi' }] });
    expect(convert({ responseFormat: { type: 'json_object' } }).response_format).toEqual({
      type: 'json_object',
    });
  });

  it('passes every sampling parameter and writes the output limit in the configured field', () => {
    const request = {
      temperature: 0.2,
      topP: 0.8,
      n: 2,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      maxTokens: 50,
      seed: 7,
      user: 'u-1',
      stop: ['END'],
    };
    expect(convert(request)).toMatchObject({
      temperature: 0.2,
      top_p: 0.8,
      n: 2,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      max_tokens: 50,
      seed: 7,
      user: 'u-1',
      stop: ['END'],
    });
    const openAI = convert(request, { maxTokensField: 'max_completion_tokens' });
    expect(openAI.max_completion_tokens).toBe(50);
    expect(openAI).not.toHaveProperty('max_tokens');
  });

  it('leaves out the sampling parameters a model fixes', () => {
    const body = convert(
      { temperature: 0.2, topP: 0.8, n: 2, presencePenalty: 0.1, frequencyPenalty: 0.3, seed: 7 },
      { omittedParameters: ['temperature', 'top_p', 'n', 'presence_penalty', 'frequency_penalty'] },
    );
    expect(body).toEqual({ model: 'model-1', messages: [{ role: 'user', content: 'Hi' }], seed: 7 });
  });

  it('asks for the usage chunk when streaming, unless the server cannot take stream_options', () => {
    expect(convert({}, {}, true)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const withoutUsage = convert({}, { includeStreamUsage: false }, true);
    expect(withoutUsage.stream).toBe(true);
    expect(withoutUsage).not.toHaveProperty('stream_options');
  });

  it('sends reasoning_effort to models that take it, from an effort or a thinking budget', () => {
    expect(convert({ reasoning: { effort: 'high' } }, { reasoningEffort: true }).reasoning_effort).toBe(
      'high',
    );
    expect(convert({ reasoning: { budgetTokens: 2048 } }, { reasoningEffort: true }).reasoning_effort).toBe(
      'low',
    );
    expect(convert({ reasoning: {} }, { reasoningEffort: true }).reasoning_effort).toBe('medium');
    // A model without reasoning would refuse the field: it is not sent.
    expect(convert({ reasoning: { effort: 'high' } })).not.toHaveProperty('reasoning_effort');
    expect(convert({}, { reasoningEffort: true })).not.toHaveProperty('reasoning_effort');
  });
});
