import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The official `@anthropic-ai/sdk` client against the running app (real HTTP on loopback), over
 * the simulated provider: messages, both ways of streaming, tools, usage and every error class.
 */
type APIError = InstanceType<typeof Anthropic.APIError>;

let testApp: TestApp;
let client: Anthropic;

beforeAll(async () => {
  testApp = await startTestApp({
    listen: true,
    // The error-mapping tests provoke faults with [[sim:…]] directives.
    config: { providers: { sim: { fault_directives: true } } },
  });
  const tenant = await createTenant(testApp);
  client = new Anthropic({ apiKey: tenant.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
});

afterAll(async () => {
  await testApp?.close();
});

interface UsageRow {
  endpoint: string;
  end_user: string | null;
  requested_model: string | null;
  served_model: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  status: number;
  error_code: string | null;
  streamed: boolean;
}

async function usageRow(requestId: string | null | undefined): Promise<UsageRow | undefined> {
  const result = await testApp.database.query<UsageRow>('SELECT * FROM usage_records WHERE request_id = $1', [
    requestId,
  ]);
  return result.rows[0];
}

const weatherTool = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: {
      city: { type: 'string', minLength: 1 },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
    additionalProperties: false,
  },
};

const timeTool = {
  name: 'get_time',
  description: 'Get the current local time in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

function toolUses(message: Anthropic.Message): Anthropic.ToolUseBlock[] {
  return message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('messages through the anthropic client', () => {
  it('answers with a message object, usage, and a usage row under the request id', async () => {
    const { data: message, request_id: requestId } = await client.messages
      .create({
        model: 'sim/fast',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Say hello to Kimi.' }],
      })
      .withResponse();
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe('sim/fast');
    expect(message.content).toHaveLength(1);
    expect(message.content[0]?.type).toBe('text');
    expect(textOf(message).length).toBeGreaterThan(0);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(message.usage.cache_creation_input_tokens).toBe(0);

    expect(requestId).toMatch(/^req_/);
    expect(message.id).toBe(`msg_${requestId?.replace(/^req_/, '')}`);
    expect(await usageRow(requestId)).toMatchObject({
      endpoint: 'chat.completions',
      requested_model: 'sim/fast',
      served_model: 'sim/fast',
      prompt_tokens: message.usage.input_tokens,
      completion_tokens: message.usage.output_tokens,
      status: 200,
      streamed: false,
    });

    const again = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello to Kimi.' }] }],
    });
    expect(textOf(again)).toBe(textOf(message));
    expect(again.id).not.toBe(message.id);
  });

  it('streams with messages.stream() the same message as the non-streaming answer', async () => {
    const request = {
      model: 'sim/fast',
      max_tokens: 1024,
      messages: [{ role: 'user' as const, content: 'Explain streaming in one paragraph.' }],
    };
    const whole = await client.messages.create(request);
    const stream = client.messages.stream(request);
    let streamedText = '';
    stream.on('text', (delta) => {
      streamedText += delta;
    });
    const { request_id: requestId } = await stream.withResponse();
    const final = await stream.finalMessage();
    expect(streamedText).toBe(textOf(whole));
    expect(await stream.finalText()).toBe(textOf(whole));
    expect(final.content).toEqual(whole.content);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toEqual(whole.usage);
    expect(final.model).toBe('sim/fast');
    // The usage record is committed before message_stop, so it is there as soon as the stream ends.
    expect(await usageRow(requestId)).toMatchObject({
      status: 200,
      streamed: true,
      prompt_tokens: whole.usage.input_tokens,
      completion_tokens: whole.usage.output_tokens,
    });
  });

  it('streams with create({ stream: true }) the exact event sequence', async () => {
    const request = {
      model: 'sim/fast',
      max_tokens: 1024,
      messages: [{ role: 'user' as const, content: 'Tell me about rivers.' }],
    };
    const whole = await client.messages.create(request);
    const stream = await client.messages.create({ ...request, stream: true });
    const types: string[] = [];
    let text = '';
    let stopReason: string | null = null;
    let outputTokens = 0;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        expect(event.index).toBe(0);
        text += event.delta.text;
      }
      if (event.type === 'message_delta') {
        stopReason = event.delta.stop_reason;
        outputTokens = event.usage.output_tokens;
      }
    }
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_delta').length).toBeGreaterThan(3);
    expect(text).toBe(textOf(whole));
    expect(stopReason).toBe('end_turn');
    expect(outputTokens).toBe(whole.usage.output_tokens);
  });

  it('uses the system prompt, as a string or as text blocks with cache_control', async () => {
    const messages = [{ role: 'user' as const, content: 'Who are you?' }];
    const without = await client.messages.create({ model: 'sim/fast', max_tokens: 512, messages });
    const asString = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 512,
      system: 'You are a terse assistant who answers in one sentence.',
      messages,
    });
    const asBlocks = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 512,
      system: [
        {
          type: 'text',
          text: 'You are a terse assistant who answers in one sentence.',
          cache_control: { type: 'ephemeral' },
        },
      ],
      messages,
    });
    expect(asString.usage.input_tokens).toBeGreaterThan(without.usage.input_tokens);
    expect(textOf(asBlocks)).toBe(textOf(asString));
    expect(asBlocks.usage.input_tokens).toBe(asString.usage.input_tokens);
  });

  it('stops at max_tokens, passes metadata.user_id on, and accepts images', async () => {
    const limited = await client.messages
      .create({
        model: 'sim/fast',
        max_tokens: 5,
        metadata: { user_id: 'end-user-42' },
        messages: [{ role: 'user', content: 'Write a long essay about the sea.' }],
      })
      .withResponse();
    expect(limited.data.stop_reason).toBe('max_tokens');
    expect(limited.data.usage.output_tokens).toBeLessThanOrEqual(5);
    expect((await usageRow(limited.request_id))?.end_user).toBe('end-user-42');

    const pixel =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const withImages = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 256,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pixel } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
            { type: 'text', text: 'Describe these pictures.' },
          ],
        },
      ],
    });
    expect(withImages.stop_reason).toBe('end_turn');
  });
});

describe('tool use through the anthropic client', () => {
  it('round-trips: tool_use with schema-valid input, then a tool_result, then a text answer', async () => {
    const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
    const first = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [question],
    });
    expect(first.stop_reason).toBe('tool_use');
    const [call] = toolUses(first);
    expect(call?.name).toBe('get_weather');
    const input = call?.input as { city: unknown; unit: unknown };
    expect(Object.keys(input).sort()).toEqual(['city', 'unit']);
    expect(typeof input.city).toBe('string');
    expect((input.city as string).length).toBeGreaterThan(0);
    expect(['celsius', 'fahrenheit']).toContain(input.unit);

    const answer = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: call!.id, content: '{"temperature": 21, "sky": "clear"}' },
          ],
        },
      ],
    });
    expect(answer.stop_reason).toBe('end_turn');
    expect(toolUses(answer)).toHaveLength(0);
    expect(textOf(answer)).toContain('get_weather returned “{"temperature": 21, "sky": "clear"}”');

    const failed = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: call!.id,
              is_error: true,
              content: [{ type: 'text', text: 'weather service down' }],
            },
          ],
        },
      ],
    });
    expect(textOf(failed)).toContain('get_weather returned “Tool execution failed: weather service down”');
  });

  it('honours tool_choice any, tool and disable_parallel_tool_use', async () => {
    const any = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Hello there.' }],
    });
    expect(any.stop_reason).toBe('tool_use');
    expect(toolUses(any).map((block) => block.name)).toEqual(['get_weather']);

    const named = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool, timeTool],
      tool_choice: { type: 'tool', name: 'get_time' },
      messages: [{ role: 'user', content: 'What is the weather in Rome?' }],
    });
    expect(named.stop_reason).toBe('tool_use');
    expect(toolUses(named).map((block) => block.name)).toEqual(['get_time']);

    const both = { role: 'user' as const, content: 'Tell me the weather and the local time in Tokyo.' };
    const parallel = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool, timeTool],
      messages: [both],
    });
    expect(
      toolUses(parallel)
        .map((block) => block.name)
        .sort(),
    ).toEqual(['get_time', 'get_weather']);
    const single = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool, timeTool],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      messages: [both],
    });
    expect(toolUses(single)).toHaveLength(1);

    const none = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool],
      tool_choice: { type: 'none' },
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    });
    expect(none.stop_reason).toBe('end_turn');
  });

  it('streams parallel tool calls as separate blocks that assemble into the non-streaming content', async () => {
    const request = {
      model: 'sim/fast',
      max_tokens: 1024,
      tools: [weatherTool, timeTool],
      messages: [{ role: 'user' as const, content: 'Tell me the weather and the local time in Tokyo.' }],
    };
    const whole = await client.messages.create(request);
    const stream = client.messages.stream(request);
    const starts: number[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_start') starts.push(event.index);
    });
    const final = await stream.finalMessage();
    expect(starts).toEqual([0, 1]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual(whole.content);
  });
});

describe('errors through the anthropic client', () => {
  it('404 NotFoundError in Anthropic’s shape for an unknown model', async () => {
    const error = await caught(
      client.messages.create({
        model: 'nope/model',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const apiError = error as InstanceType<typeof Anthropic.NotFoundError>;
    expect(apiError.type).toBe('not_found_error');
    expect(apiError.apiMessage).toMatch(/GET \/v1\/models/);
    expect(apiError.errorCode).toBe('MODEL_NOT_FOUND');
    expect(apiError.requestID).toMatch(/^req_/);
    expect(apiError.error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
      request_id: apiError.requestID,
    });
    expect((await usageRow(apiError.requestID))?.status).toBe(404);
  });

  it('401 AuthenticationError for a bad key, 403 PermissionDeniedError outside the allowlist', async () => {
    const stranger = new Anthropic({
      apiKey: 'sk-kimi-not-a-real-key',
      baseURL: testApp.baseUrl,
      maxRetries: 0,
    });
    const unauthorized = await caught(
      stranger.messages.create({
        model: 'sim/fast',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(unauthorized).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(unauthorized).toMatchObject({ type: 'authentication_error', errorCode: 'API_KEY_INVALID' });
    expect((unauthorized as APIError).requestID).toMatch(/^req_/);

    const limited = await createTenant(testApp, { allowedModels: ['sim/mini'] });
    const limitedClient = new Anthropic({ apiKey: limited.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
    const forbidden = await caught(
      limitedClient.messages.create({
        model: 'sim/fast',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(forbidden).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(forbidden).toMatchObject({ type: 'permission_error', errorCode: 'MODEL_NOT_ALLOWED' });
  });

  it('400 BadRequestError naming the field, metered as a refusal', async () => {
    const missing = await caught(
      client.messages.create({
        model: 'sim/fast',
        messages: [{ role: 'user', content: 'x' }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming),
    );
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    const missingError = missing as APIError;
    expect(missingError.type).toBe('invalid_request_error');
    expect(missingError.apiMessage).toBe("Missing required parameter: 'max_tokens'.");
    expect(await usageRow(missingError.requestID)).toMatchObject({
      status: 400,
      error_code: 'INVALID_REQUEST',
    });

    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ top_k: -5 }, /'top_k'/],
      [{ temperature: 1.5 }, /'temperature'/],
      [{ thinking: { type: 'enabled', budget_tokens: 10 } }, /'thinking\.budget_tokens'/],
      [
        { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] },
        /'tools\[0\]\.type'.*server tool 'web_search_20250305' is not supported/,
      ],
      [{ tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_time' } }, /'get_time'.*not among/],
      [{ tool_choice: { type: 'any' } }, /'tool_choice'.*needs 'tools'/],
      [
        {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'x' } },
              ],
            },
          ],
        },
        /'messages\[0\]\.content\[0\]\.source' is read by Anthropic models only/,
      ],
    ];
    for (const [extra, message] of cases) {
      const error = await caught(
        client.messages.create({
          model: 'sim/fast',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
          ...extra,
        } as Anthropic.MessageCreateParamsNonStreaming),
      );
      expect(error, JSON.stringify(extra)).toBeInstanceOf(Anthropic.BadRequestError);
      expect((error as APIError).apiMessage, JSON.stringify(extra)).toMatch(message);
    }
  });

  it('429 RateLimitError with Retry-After from a rate-limited provider', async () => {
    const error = await caught(
      client.messages.create({
        model: 'sim/fast',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi [[sim:error=429]] [[sim:retry_after_ms=2000]]' }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({ type: 'rate_limit_error', errorCode: 'PROVIDER_RATE_LIMITED' });
    expect((error as APIError).headers?.get('retry-after')).toBe('2');
  });

  it('a failure before the first byte of a stream is a plain HTTP error', async () => {
    const error = await caught(
      client.messages.create({
        model: 'sim/fast',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'x [[sim:error=503]]' }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error).toMatchObject({ status: 502, type: 'api_error', errorCode: 'PROVIDER_UNAVAILABLE' });
  });

  it('a failure mid-stream raises from the SDK’s stream, both ways of streaming', async () => {
    const request = {
      model: 'sim/fast',
      max_tokens: 1024,
      messages: [{ role: 'user' as const, content: 'tell a story [[sim:stream_fail_after=3]]' }],
    };
    const stream = client.messages.stream(request);
    let received = '';
    stream.on('text', (delta) => {
      received += delta;
    });
    const failure = await caught(stream.finalMessage());
    expect(received.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect(failure).toMatchObject({ type: 'api_error' });
    expect((failure as Error).message).toMatch(/stream ended early/);

    const raw = await client.messages.create({ ...request, stream: true }).withResponse();
    let events = 0;
    const rawFailure = await caught(
      (async () => {
        for await (const _event of raw.data) events += 1;
      })(),
    );
    expect(events).toBeGreaterThan(2);
    expect(rawFailure).toBeInstanceOf(Anthropic.APIError);
    expect(await usageRow(raw.request_id)).toMatchObject({ status: 502, streamed: true });
  });
});
