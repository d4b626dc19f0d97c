import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The official `openai` client against the running app (real HTTP on loopback), over the
 * simulated provider: chat, streaming, tools, JSON modes, embeddings and every error class.
 */
let testApp: TestApp;
let client: OpenAI;
let tenantSecret: string;

beforeAll(async () => {
  testApp = await startTestApp({
    listen: true,
    config: {
      aliases: { 'gpt-4o-mini': 'sim/fast' },
      // The error-mapping tests provoke faults with [[sim:…]] directives.
      providers: { sim: { fault_directives: true } },
    },
  });
  tenantSecret = (await createTenant(testApp)).secret;
  client = new OpenAI({ apiKey: tenantSecret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await testApp?.close();
});

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', minLength: 1 },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

const timeTool = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    description: 'Get the current local time in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('chat completions through the openai client', () => {
  it('answers deterministically with usage and the served model', async () => {
    const request = {
      model: 'sim/fast',
      messages: [{ role: 'user' as const, content: 'Say hello to Kimi.' }],
    };
    const first = await client.chat.completions.create(request);
    const second = await client.chat.completions.create(request);
    expect(first.object).toBe('chat.completion');
    expect(first.model).toBe('sim/fast');
    expect(first.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(first.choices[0]?.finish_reason).toBe('stop');
    expect(first.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(first.usage?.total_tokens).toBe(
      (first.usage?.prompt_tokens ?? 0) + (first.usage?.completion_tokens ?? 0),
    );
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(second.id).not.toBe(first.id);
  });

  it('resolves aliases from the config file', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.model).toBe('sim/fast');
  });

  it('streams the same text as the non-streaming answer, with a final usage chunk', async () => {
    const messages = [{ role: 'user' as const, content: 'Explain streaming in one paragraph.' }];
    const whole = await client.chat.completions.create({ model: 'sim/fast', messages });
    const stream = await client.chat.completions.create({
      model: 'sim/fast',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finishReason: string | null = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finishReason).toBe('stop');
    expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
  });

  it('calls a required tool with arguments valid against its schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as { city: string; unit: string };
    expect(typeof args.city).toBe('string');
    expect(args.city.length).toBeGreaterThan(0);
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
  });

  it('makes parallel tool calls, and streams them', async () => {
    const request = {
      model: 'sim/fast',
      messages: [{ role: 'user' as const, content: 'Tell me the weather and the local time in Tokyo.' }],
      tools: [weatherTool, timeTool],
    };
    const completion = await client.chat.completions.create(request);
    const names = completion.choices[0]?.message.tool_calls?.map((call) =>
      call.type === 'function' ? call.function.name : call.type,
    );
    expect(names?.sort()).toEqual(['get_time', 'get_weather']);

    const stream = await client.chat.completions.create({ ...request, stream: true });
    const assembled = new Map<number, { name: string; arguments: string }>();
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = assembled.get(delta.index) ?? { name: '', arguments: '' };
        entry.name += delta.function?.name ?? '';
        entry.arguments += delta.function?.arguments ?? '';
        assembled.set(delta.index, entry);
      }
    }
    expect([...assembled.values()].map((entry) => entry.name).sort()).toEqual(['get_time', 'get_weather']);
    for (const entry of assembled.values()) expect(() => JSON.parse(entry.arguments)).not.toThrow();
  });

  it('continues after a tool result with a text answer', async () => {
    const completion = await client.chat.completions.create({
      model: 'sim/fast',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 21, "sky": "clear"}' },
      ],
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toBeTruthy();
  });

  it('returns valid JSON in json_object and json_schema modes', async () => {
    const jsonObject = await client.chat.completions.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'Describe a cat as JSON.' }],
      response_format: { type: 'json_object' },
    });
    expect(typeof JSON.parse(jsonObject.choices[0]?.message.content ?? '')).toBe('object');

    const jsonSchema = await client.chat.completions.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'Extract the person.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0, maximum: 150 } },
            required: ['name', 'age'],
            additionalProperties: false,
          },
        },
      },
    });
    const person = JSON.parse(jsonSchema.choices[0]?.message.content ?? '') as {
      name: unknown;
      age: unknown;
    };
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
  });

  it('honours max_tokens, stop and n', async () => {
    const limited = await client.chat.completions.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'Write a long essay about the sea.' }],
      max_tokens: 5,
    });
    expect(limited.choices[0]?.finish_reason).toBe('length');
    expect(limited.usage?.completion_tokens).toBeLessThanOrEqual(5);

    const several = await client.chat.completions.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'Give me a name.' }],
      n: 3,
    });
    expect(several.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(new Set(several.choices.map((choice) => choice.message.content)).size).toBe(3);
  });
});

describe('embeddings and models through the openai client', () => {
  it('embeds with the default (base64) and float encodings alike', async () => {
    const base64 = await client.embeddings.create({
      model: 'sim/embed',
      input: ['a red apple', 'a green apple'],
    });
    const float = await client.embeddings.create({
      model: 'sim/embed',
      input: ['a red apple', 'a green apple'],
      encoding_format: 'float',
    });
    expect(base64.data).toHaveLength(2);
    expect(base64.data[0]?.embedding).toHaveLength(256);
    for (const [index, value] of (float.data[0]?.embedding ?? []).entries()) {
      expect(base64.data[0]?.embedding[index]).toBeCloseTo(value, 5);
    }
    expect(base64.usage.prompt_tokens).toBeGreaterThan(0);
    const shortened = await client.embeddings.create({ model: 'sim/embed', input: 'x', dimensions: 64 });
    expect(shortened.data[0]?.embedding).toHaveLength(64);
  });

  it('lists models, labelling simulated ones, and retrieves one by id', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    const fast = models.find((model) => model.id === 'sim/fast') as unknown as {
      kimi: { simulated: boolean; aliases: string[]; pricing: { input: string } };
    };
    expect(fast.kimi.simulated).toBe(true);
    expect(fast.kimi.aliases).toContain('gpt-4o-mini');
    expect(fast.kimi.pricing.input).toBe('0.100000000000');
    expect(models.some((model) => model.id === 'gpt-4o-mini')).toBe(true);
    const retrieved = await client.models.retrieve('sim/smart');
    expect(retrieved.id).toBe('sim/smart');
    await expect(client.models.retrieve('sim/nope')).rejects.toMatchObject({ status: 404 });
  });
});

describe('errors through the openai client', () => {
  it('404 for an unknown model, naming how to list models', async () => {
    const error = await client.chat.completions
      .create({ model: 'nope/model', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND', param: 'model' });
    expect((error as Error).message).toMatch(/GET \/v1\/models/);
  });

  it('400 naming the field for a missing model and for wrong types', async () => {
    const missing = await client.chat.completions
      .create({
        messages: [{ role: 'user', content: 'x' }],
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing).toMatchObject({ status: 400, code: 'MODEL_REQUIRED', param: 'model' });

    const wrongType = await client.chat.completions
      .create({
        model: 'sim/fast',
        messages: [{ role: 'user', content: 'x' }],
        temperature: 'hot' as unknown as number,
      })
      .catch((caught: unknown) => caught);
    expect(wrongType).toMatchObject({ status: 400, code: 'INVALID_REQUEST', param: 'temperature' });

    const badMessage = await client.chat.completions
      .create({
        model: 'sim/fast',
        messages: [{ role: 'robot', content: 'x' }],
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(badMessage).toMatchObject({ status: 400, param: 'messages[0].role' });
  });

  it('401 for a bad key, 403 for a model outside the key allowlist', async () => {
    const stranger = new OpenAI({
      apiKey: 'sk-kimi-not-a-real-key',
      baseURL: `${testApp.baseUrl}/v1`,
      maxRetries: 0,
    });
    const unauthorized = await stranger.models.list().catch((caught: unknown) => caught);
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized).toMatchObject({ code: 'API_KEY_INVALID' });

    const limited = await createTenant(testApp, { allowedModels: ['sim/mini'] });
    const limitedClient = new OpenAI({
      apiKey: limited.secret,
      baseURL: `${testApp.baseUrl}/v1`,
      maxRetries: 0,
    });
    const forbidden = await limitedClient.chat.completions
      .create({ model: 'sim/fast', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(forbidden).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(forbidden).toMatchObject({ code: 'MODEL_NOT_ALLOWED', param: 'model' });
    const allowed = await limitedClient.chat.completions.create({
      model: 'sim/mini',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(allowed.model).toBe('sim/mini');
  });

  it('429 with Retry-After from a rate-limited provider', async () => {
    const error = await client.chat.completions
      .create({
        model: 'sim/fast',
        messages: [{ role: 'user', content: 'hi [[sim:error=429]] [[sim:retry_after_ms=2000]]' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('2');
  });

  it('a failure before the first byte of a stream is a plain HTTP error', async () => {
    const error = await client.chat.completions
      .create({
        model: 'sim/fast',
        stream: true,
        messages: [{ role: 'user', content: 'x [[sim:error=503]]' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 502, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('a failure mid-stream surfaces as an error from the iterator', async () => {
    const stream = await client.chat.completions.create({
      model: 'sim/fast',
      stream: true,
      messages: [{ role: 'user', content: 'tell a story [[sim:stream_fail_after=3]]' }],
    });
    let received = '';
    const failure = await (async () => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(received.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toMatch(/stream ended early/);
  });
});
