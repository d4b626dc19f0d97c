import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, LanguageModel } from '../../model/index.ts';
import { loadTokenizer, type Tokenizer } from '../../support/index.ts';
import { createSimulatedProvider } from './simulated-provider.ts';
import { recordingClock, userRequest } from './simulated-test-support.ts';

const options = { requestId: 'request-1' };
let tokenizer: Tokenizer;
let model: LanguageModel;

beforeAll(async () => {
  tokenizer = await loadTokenizer();
  model = createSimulatedProvider({ tokenizer, clock: recordingClock() }).languageModel('fast');
});

function onlyContent(result: { choices: Array<{ content: string | null }> }): string {
  const content = result.choices[0]?.content;
  if (typeof content !== 'string') throw new Error('expected text content');
  return content;
}

describe('simulated replies', () => {
  it('answers the same request identically and a different prompt differently', async () => {
    const request = userRequest('Explain how a circuit breaker protects a service from cascading failures.');
    const first = await model.generate(request, options);
    const second = await model.generate(structuredClone(request), options);
    const other = await model.generate(userRequest('Write a haiku about autumn leaves.'), options);
    expect(second).toEqual(first);
    expect(onlyContent(other)).not.toEqual(onlyContent(first));
    expect(first.choices[0]?.finishReason).toBe('stop');
    expect(first.model).toBe('fast');
  });

  it('refers to the prompt in plausible prose of 20 to 120 tokens', async () => {
    for (const prompt of [
      'Summarise the quarterly sales figures',
      'Why is the sky blue?',
      'Plan a trip to Kyoto',
    ]) {
      const content = onlyContent(await model.generate(userRequest(prompt), options));
      expect(content).toContain(`Simulated reply (sim/fast) about “${prompt}”`);
      expect(content).toMatch(/\.$/);
      const tokens = tokenizer.countText(content);
      expect(tokens).toBeGreaterThanOrEqual(20);
      expect(tokens).toBeLessThanOrEqual(120);
    }
  });

  it('changes with seed and temperature but not with the request order of keys', async () => {
    const base = userRequest('Tell me about the history of tea');
    const reordered: ChatRequest = { messages: base.messages, model: 'fast' };
    const seeded = await model.generate({ ...base, seed: 42 }, options);
    expect(onlyContent(await model.generate(reordered, options))).toBe(
      onlyContent(await model.generate(base, options)),
    );
    expect(onlyContent(seeded)).not.toBe(onlyContent(await model.generate(base, options)));
    expect(onlyContent(await model.generate({ ...base, seed: 42 }, options))).toBe(onlyContent(seeded));
  });

  it('gives n different choices', async () => {
    const result = await model.generate(userRequest('Name a good book', { n: 3 }), options);
    expect(result.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(new Set(result.choices.map((choice) => choice.content)).size).toBe(3);
  });

  it('stops at maxTokens with finish reason length, as a prefix of the full reply', async () => {
    const request = userRequest('Describe the water cycle in detail');
    const full = onlyContent(await model.generate(request, options));
    for (const maxTokens of [1, 5, 12]) {
      const limited = await model.generate({ ...request, maxTokens }, options);
      const content = onlyContent(limited);
      expect(limited.choices[0]?.finishReason).toBe('length');
      expect(tokenizer.countText(content)).toBeLessThanOrEqual(maxTokens);
      expect(content.length).toBeGreaterThan(0);
      expect(full.startsWith(content)).toBe(true);
      expect(limited.usage?.completionTokens).toBe(tokenizer.countText(content));
    }
  });

  it('cuts before the first stop sequence with finish reason stop', async () => {
    const request = userRequest('Describe the water cycle in detail');
    const full = onlyContent(await model.generate(request, options));
    const result = await model.generate({ ...request, stop: ['zzz-never', ')'] }, options);
    expect(onlyContent(result)).toBe(full.slice(0, full.indexOf(')')));
    expect(result.choices[0]?.finishReason).toBe('stop');
  });

  it('counts prompt tokens with the tokenizer, tools included', async () => {
    const request = userRequest('Hello there', {
      tools: [
        { name: 'lookup', description: 'Look up a word', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: 'none',
    });
    const result = await model.generate(request, options);
    expect(result.usage).toEqual({
      promptTokens: tokenizer.countChatPrompt(request.messages, JSON.stringify(request.tools)),
      completionTokens: tokenizer.countText(onlyContent(result)),
      cachedPromptTokens: 0,
    });
  });

  it('answers json_object with a JSON object', async () => {
    const result = await model.generate(
      userRequest('List three colours as JSON', { responseFormat: { type: 'json_object' } }),
      options,
    );
    const parsed = JSON.parse(onlyContent(result)) as { answer: string; model: string };
    expect(parsed.model).toBe('sim/fast');
    expect(parsed.answer).toContain('List three colours as JSON');
  });

  it('answers json_schema with a value valid against the schema', async () => {
    const ajv = new Ajv({ strict: false });
    formatsPlugin.default(ajv);
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'year', 'genres', 'published', 'rating'],
      properties: {
        title: { type: 'string', minLength: 1 },
        year: { type: 'integer', minimum: 1900, maximum: 2030 },
        genres: {
          type: 'array',
          items: { type: 'string', enum: ['drama', 'comedy', 'horror'] },
          minItems: 1,
        },
        published: { type: 'string', format: 'date' },
        rating: { type: 'number', minimum: 0, maximum: 10 },
      },
    };
    for (const prompt of ['Recommend a film', 'Recommend a different film', 'Any film from the nineties?']) {
      const result = await model.generate(
        userRequest(prompt, { responseFormat: { type: 'json_schema', name: 'film', schema, strict: true } }),
        options,
      );
      expect(ajv.validate(schema, JSON.parse(onlyContent(result))), ajv.errorsText()).toBe(true);
    }
  });

  it('summarises tool results in text after a tool message', async () => {
    const request: ChatRequest = {
      model: 'fast',
      tools: [
        { name: 'get_weather', description: 'Get the weather for a city', parameters: { type: 'object' } },
      ],
      toolChoice: 'required',
      messages: [
        { role: 'user', content: 'What is the weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"temperature": -3, "sky": "clear"}' },
      ],
    };
    const result = await model.generate(request, options);
    const content = onlyContent(result);
    expect(result.choices[0]?.toolCalls).toEqual([]);
    expect(result.choices[0]?.finishReason).toBe('stop');
    expect(content).toContain('get_weather returned “{"temperature": -3, "sky": "clear"}”');
  });

  it('accepts images and ignores them', async () => {
    const result = await model.generate(
      {
        model: 'fast',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image', url: 'https://example.com/cat.png' },
            ],
          },
        ],
      },
      options,
    );
    expect(onlyContent(result)).toContain('“What is in this picture?”');
  });

  it('rejects invalid n and max_tokens naming the field', async () => {
    await expect(model.generate(userRequest('hi', { n: 0 }), options)).rejects.toMatchObject({
      param: 'n',
      status: 400,
    });
    await expect(model.generate(userRequest('hi', { maxTokens: 0 }), options)).rejects.toMatchObject({
      param: 'max_tokens',
      code: 'INVALID_REQUEST',
    });
  });
});
