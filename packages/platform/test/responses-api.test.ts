import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The official `openai` client's Responses API against the running app (real HTTP on loopback),
 * over the simulated models: JSON and SSE, a function-tool round trip continued with
 * `previous_response_id`, stored responses and their input items, tenancy and bad input. On
 * PGlite, and on PostgreSQL too when one is reachable.
 */
const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Get the current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', minLength: 1 } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe.each(backends)('the Responses API through the openai client (%s)', (backend) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let client: OpenAI;
  let other: OpenAI;
  let secret: string;

  beforeAll(async () => {
    temporary = backend === 'postgres' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({
      listen: true,
      ...(temporary ? { databaseUrl: temporary.url } : {}),
      config: {
        aliases: { 'gpt-4o-mini': 'sim/fast' },
        // sim/down always fails, so the `falls-back` group shows fallback before the first event.
        providers: { sim: { fault_directives: true, models: { down: { failure_rate: 1 }, backup: {} } } },
        routing: {
          defaults: { retry: { max_attempts: 1, base_delay_ms: 1, max_delay_ms: 10 } },
          groups: { 'falls-back': { deployments: [{ model: 'sim/down' }], fallbacks: ['sim/backup'] } },
        },
      },
    });
    const tenant = await createTenant(testApp, { name: 'responses tenant' });
    const stranger = await createTenant(testApp, { name: 'another tenant' });
    const options = { baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 };
    secret = tenant.secret;
    client = new OpenAI({ apiKey: tenant.secret, ...options });
    other = new OpenAI({ apiKey: stranger.secret, ...options });
  });

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
  });

  it('creates a response with its output, output_text, usage and the echoed parameters', async () => {
    const { data: response, response: raw } = await client.responses
      .create({
        model: 'gpt-4o-mini',
        instructions: 'Answer briefly.',
        input: 'Say hello to Kimi.',
        temperature: 0.5,
        metadata: { purpose: 'test' },
        user: 'user-1',
      })
      .withResponse();
    expect(response.id).toMatch(/^resp_/);
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.model).toBe('sim/fast');
    expect(raw.headers.get('x-kimi-model')).toBe('sim/fast');
    expect(response.created_at).toBeGreaterThan(1_700_000_000);
    const message = response.output[0];
    if (message?.type !== 'message') throw new Error('expected a message');
    expect(message.id).toMatch(/^msg_/);
    expect(message.role).toBe('assistant');
    expect(message.status).toBe('completed');
    const part = message.content[0];
    if (part?.type !== 'output_text') throw new Error('expected output text');
    expect(part.text.length).toBeGreaterThan(0);
    expect(response.output_text).toBe(part.text);
    expect(response.incomplete_details).toBeNull();
    expect(response.error).toBeNull();
    const usage = response.usage!;
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.input_tokens_details.cached_tokens).toBe(0);
    expect(usage.output_tokens_details.reasoning_tokens).toBe(0);
    expect(response).toMatchObject({
      instructions: 'Answer briefly.',
      temperature: 0.5,
      top_p: 1,
      metadata: { purpose: 'test' },
      user: 'user-1',
      store: true,
      tool_choice: 'auto',
      tools: [],
      parallel_tool_calls: true,
      truncation: 'disabled',
      previous_response_id: null,
      text: { format: { type: 'text' } },
    });

    const requestId = raw.headers.get('x-request-id');
    const usageRows = await testApp.database.query<{ requested_model: string; completion_tokens: number }>(
      'SELECT requested_model, completion_tokens FROM usage_records WHERE request_id = $1',
      [requestId],
    );
    expect(usageRows.rows).toEqual([
      { requested_model: 'gpt-4o-mini', completion_tokens: usage.output_tokens },
    ]);
  });

  it('streams the documented events in order, numbered, and stores the response before completing', async () => {
    const input = 'Explain streaming in one paragraph.';
    const whole = await client.responses.create({ model: 'sim/fast', input });
    const events = await collect(await client.responses.create({ model: 'sim/fast', input, stream: true }));
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
    const types = events.map((event) => event.type);
    const deltas = types.filter((type) => type === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array.from({ length: deltas }, () => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(created.response.status).toBe('in_progress');
    expect(created.response.output).toEqual([]);
    const text = events
      .filter(
        (event): event is OpenAI.Responses.ResponseTextDeltaEvent =>
          event.type === 'response.output_text.delta',
      )
      .map((event) => event.delta)
      .join('');
    expect(text).toBe(whole.output_text);
    const done = events.find((event) => event.type === 'response.output_text.done');
    expect(done).toMatchObject({ text, output_index: 0, content_index: 0 });
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.id).toBe(created.response.id);
    expect(completed.response.status).toBe('completed');
    expect(completed.response.usage?.output_tokens).toBe(whole.usage?.output_tokens);
    const stored = await client.responses.retrieve(completed.response.id);
    expect(stored.output).toEqual(completed.response.output);
    expect(stored.output_text).toBe(text);
  });

  it("works with the client's stream helper, which checks every event against its snapshot", async () => {
    const stream = client.responses.stream({ model: 'sim/smart', input: 'Write a haiku about gateways.' });
    let text = '';
    stream.on('response.output_text.delta', (event) => {
      text += event.delta;
    });
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe(text);
  });

  it('calls a function tool, and continues from its output with previous_response_id on another model', async () => {
    const first = await client.responses.create({
      model: 'sim/fast',
      input: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    expect(first.status).toBe('completed');
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call.id).toMatch(/^fc_/);
    expect(call.call_id.length).toBeGreaterThan(0);
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toMatchObject({ city: expect.any(String) });
    expect(first.tools).toEqual([{ ...weatherTool }]);

    // Sent the moment the first response completed: it must be found (read-your-writes).
    const second = await client.responses.create({
      model: 'sim/smart',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temperature": 21}' }],
      tools: [weatherTool],
    });
    expect(second.status).toBe('completed');
    expect(second.model).toBe('sim/smart');
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text.length).toBeGreaterThan(0);
    expect(second.output.every((item) => item.type === 'message')).toBe(true);
    // The rebuilt conversation (question, call, output) is what the model was prompted with.
    expect(second.usage!.input_tokens).toBeGreaterThan(first.usage!.input_tokens);

    const third = await client.responses.create({
      model: 'sim/fast',
      previous_response_id: second.id,
      input: 'Thanks! And tomorrow?',
    });
    expect(third.usage!.input_tokens).toBeGreaterThan(second.usage!.input_tokens);
  });

  it.runIf(backend === 'postgres')(
    'continues on another replica the moment response.completed arrives (read-your-writes)',
    async () => {
      const replica = await startTestApp({ listen: true, databaseUrl: temporary!.url });
      try {
        const onReplica = new OpenAI({ apiKey: secret, baseURL: `${replica.baseUrl}/v1`, maxRetries: 0 });
        const stream = await client.responses.create({
          model: 'sim/fast',
          input: 'What is the weather in Oslo?',
          tools: [weatherTool],
          tool_choice: 'required',
          stream: true,
        });
        let continued: OpenAI.Responses.Response | undefined;
        for await (const event of stream) {
          if (event.type !== 'response.completed') continue;
          const call = event.response.output.find((item) => item.type === 'function_call');
          if (call?.type !== 'function_call') throw new Error('expected a function call');
          // Before this stream has even ended, on another instance.
          continued = await onReplica.responses.create({
            model: 'sim/smart',
            previous_response_id: event.response.id,
            input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"sky": "grey"}' }],
          });
        }
        expect(continued?.status).toBe('completed');
        expect(continued?.output_text.length).toBeGreaterThan(0);
      } finally {
        await replica.close();
      }
    },
    60_000,
  );

  it('streams function call arguments with their events', async () => {
    const events = await collect(
      await client.responses.create({
        model: 'sim/fast',
        input: 'What is the weather in Rome?',
        tools: [weatherTool],
        tool_choice: { type: 'function', name: 'get_weather' },
        stream: true,
      }),
    );
    const types = events.map((event) => event.type);
    const added = types.indexOf('response.output_item.added');
    const argumentsDone = types.indexOf('response.function_call_arguments.done');
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(
      types
        .slice(added + 1, argumentsDone)
        .every((type) => type === 'response.function_call_arguments.delta'),
    ).toBe(true);
    expect(argumentsDone).toBeGreaterThan(added + 1);
    expect(types.slice(argumentsDone)).toEqual([
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const deltas = events
      .filter((event) => event.type === 'response.function_call_arguments.delta')
      .map((event) => (event as OpenAI.Responses.ResponseFunctionCallArgumentsDeltaEvent).delta)
      .join('');
    const done = events[argumentsDone] as OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent;
    expect(done.arguments).toBe(deltas);
    expect(done.name).toBe('get_weather');
    const item = (events.at(-2) as OpenAI.Responses.ResponseOutputItemDoneEvent).item;
    expect(item).toMatchObject({ type: 'function_call', status: 'completed', arguments: deltas });
  });

  it('ends incomplete at max_output_tokens', async () => {
    const response = await client.responses.create({
      model: 'sim/fast',
      input: 'Explain, at length and in detail, how an API gateway routes and meters requests.',
      max_output_tokens: 16,
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.usage!.output_tokens).toBeLessThanOrEqual(16);
    const events = await collect(
      await client.responses.create({
        model: 'sim/fast',
        input: 'Explain, at length and in detail, how an API gateway routes and meters requests.',
        max_output_tokens: 16,
        stream: true,
      }),
    );
    expect(events.at(-1)?.type).toBe('response.incomplete');
  });

  it('takes image parts, reasoning effort and truncation', async () => {
    const pixel =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const response = await client.responses.create({
      model: 'sim/fast',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in this picture?' },
            { type: 'input_image', image_url: pixel, detail: 'low' },
          ],
        },
      ],
      reasoning: { effort: 'low' },
      truncation: 'auto',
    });
    expect(response.status).toBe('completed');
    expect(response.reasoning).toMatchObject({ effort: 'low' });
    expect(response.truncation).toBe('auto');
    const items = await client.responses.inputItems.list(response.id);
    expect(items.data[0]).toMatchObject({
      content: [
        { type: 'input_text', text: 'What is in this picture?' },
        { type: 'input_image', image_url: pixel, detail: 'low' },
      ],
    });
  });

  it('answers in JSON with text.format json_schema', async () => {
    const response = await client.responses.create({
      model: 'sim/fast',
      input: 'Extract the person.',
      text: {
        format: {
          type: 'json_schema',
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
            required: ['name', 'age'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(response.output_text)).toMatchObject({
      name: expect.any(String),
      age: expect.any(Number),
    });
    expect(response.text?.format).toMatchObject({ type: 'json_schema', name: 'person' });
  });

  it('reports a failure after the stream started with error and response.failed', async () => {
    const events = await collect(
      await client.responses.create({
        model: 'sim/fast',
        input: 'Tell me a long story about routers. [[sim:stream_fail_after=3]]',
        stream: true,
      }),
    );
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    const failed = events.at(-1) as OpenAI.Responses.ResponseFailedEvent;
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error?.message.length).toBeGreaterThan(0);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_event, index) => index));
  });

  it('retrieves, lists the input items of, and deletes a stored response', async () => {
    const created = await client.responses.create({
      model: 'sim/fast',
      input: [
        { role: 'developer', content: 'Be terse.' },
        { role: 'user', content: [{ type: 'input_text', text: 'First question.' }] },
        { type: 'message', role: 'assistant', content: 'First answer.' },
        { role: 'user', content: 'Second question.' },
      ],
    });
    const retrieved = await client.responses.retrieve(created.id);
    expect(retrieved).toEqual(created);

    const page = await client.responses.inputItems.list(created.id);
    expect(page.data.map((item) => (item.type === 'message' ? item.role : item.type))).toEqual([
      'user',
      'assistant',
      'user',
      'developer',
    ]);
    expect(page.data[0]).toMatchObject({
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_text', text: 'Second question.' }],
    });
    expect(page.has_more).toBe(false);
    const ascending: string[] = [];
    for await (const item of client.responses.inputItems.list(created.id, { order: 'asc', limit: 1 })) {
      expect(item.id).toMatch(/^msg_/);
      ascending.push(item.id);
    }
    expect(ascending).toEqual(page.data.map((item) => item.id).reverse());

    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.responses.delete(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(
      client.responses.create({ model: 'sim/fast', previous_response_id: created.id, input: 'More?' }),
    ).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
  });

  it('keeps nothing with store: false', async () => {
    const response = await client.responses.create({ model: 'sim/fast', input: 'Forget me.', store: false });
    expect(response).toMatchObject({ store: false });
    await expect(client.responses.retrieve(response.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("answers another organisation's response exactly like a missing one", async () => {
    const mine = await client.responses.create({ model: 'sim/fast', input: 'A private conversation.' });
    const missing = 'resp_doesnotexist';
    for (const id of [mine.id, missing]) {
      await expect(other.responses.retrieve(id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
      await expect(other.responses.delete(id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
      await expect(other.responses.inputItems.list(id)).rejects.toMatchObject({ status: 404 });
      await expect(
        other.responses.create({ model: 'sim/fast', previous_response_id: id, input: 'Continue.' }),
      ).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
    }
    const stillThere = await client.responses.retrieve(mine.id);
    expect(stillThere.output_text).toBe(mine.output_text);
  });

  it("goes through the gateway like chat completions: the same headers, the key's models, the cache", async () => {
    const { response: chatRaw } = await client.chat.completions
      .create({ model: 'sim/fast', messages: [{ role: 'user', content: 'Header check.' }] })
      .withResponse();
    const { response: responseRaw } = await client.responses
      .create({ model: 'sim/fast', input: 'Header check.' })
      .withResponse();
    const gatewayHeaders = (headers: Headers) =>
      [...headers.keys()]
        .filter((name) => name.startsWith('x-kimi-') || name.startsWith('x-ratelimit-'))
        .sort();
    expect(gatewayHeaders(responseRaw.headers)).toEqual(gatewayHeaders(chatRaw.headers));
    expect(gatewayHeaders(responseRaw.headers)).toContain('x-kimi-cost-usd');

    const restricted = await createTenant(testApp, { name: 'smart only', allowedModels: ['sim/smart'] });
    const restrictedClient = new OpenAI({
      apiKey: restricted.secret,
      baseURL: `${testApp.baseUrl}/v1`,
      maxRetries: 0,
    });
    await expect(
      restrictedClient.responses.create({ model: 'sim/fast', input: 'Hi' }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);

    const cached = await createTenant(testApp, { name: 'cached tenant' });
    const policy = await testApp.app.inject({
      method: 'PUT',
      url: `/v1/admin/organizations/${cached.organizationId}/cache-policy`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { enabled: true, ttl_seconds: 60 },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    const cachedClient = new OpenAI({
      apiKey: cached.secret,
      baseURL: `${testApp.baseUrl}/v1`,
      maxRetries: 0,
    });
    const request = { model: 'sim/smart', input: `Name three rivers (${backend}).` };
    const miss = await cachedClient.responses.create(request).withResponse();
    const hit = await cachedClient.responses.create(request).withResponse();
    expect(miss.response.headers.get('x-kimi-cache')).toBe('miss');
    expect(hit.response.headers.get('x-kimi-cache')).toBe('hit-l1');
    expect(hit.data.output_text).toBe(miss.data.output_text);
    expect(hit.data.id).not.toBe(miss.data.id);
    expect((await cachedClient.responses.retrieve(hit.data.id)).output_text).toBe(miss.data.output_text);
  });

  it('falls back before the first streamed event, and the events name the model that served', async () => {
    const { data: stream, response: raw } = await client.responses
      .create({ model: 'falls-back', input: 'Stream through a fallback.', stream: true })
      .withResponse();
    expect(raw.headers.get('x-kimi-model')).toBe('sim/backup');
    expect(raw.headers.get('x-kimi-fallback-reason')).toBe('error');
    const events = await collect(stream);
    expect(events[0]).toMatchObject({ type: 'response.created', response: { model: 'sim/backup' } });
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { model: 'sim/backup' } });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'sim/fast', input: 'Hi', temprature: 1 }, 'temprature'],
      [{ model: 'sim/fast', input: 'Hi', temperature: 3 }, 'temperature'],
      [
        { model: 'sim/fast', input: [{ role: 'user', content: [{ type: 'input_audio' }] }] },
        'input[0].content[0].type',
      ],
      [{ model: 'sim/fast', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
      [{ model: 'sim/fast', input: 'Hi', tools: [{ type: 'web_search' }] }, 'tools[0].type'],
      [{ model: 'sim/fast', input: 'Hi', tool_choice: 'required' }, 'tool_choice'],
      [
        { model: 'sim/fast', input: 'Hi', text: { format: { type: 'json_schema', name: 'x' } } },
        'text.format.schema',
      ],
      [{ model: 'sim/fast', input: 'Hi', max_output_tokens: 1 }, 'max_output_tokens'],
      [{ input: 'Hi' }, 'model'],
    ];
    for (const [body, param] of cases) {
      const error = await client.responses
        .create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming)
        .catch((caught: unknown) => caught);
      expect(error, JSON.stringify(body)).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param, JSON.stringify(body)).toBe(param);
    }
    // Refused before the gateway, and still metered, as chat completions are.
    const { response: refused } = await client.responses
      .create({
        model: 'sim/fast',
        input: 'Hi',
        temprature: 1,
      } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .withResponse()
      .catch((caught: InstanceType<typeof OpenAI.APIError>) => ({ response: { headers: caught.headers! } }));
    const refusedRows = await testApp.database.query<{ status: number; error_code: string }>(
      'SELECT status, error_code FROM usage_records WHERE request_id = $1',
      [refused.headers.get('x-request-id')],
    );
    expect(refusedRows.rows).toEqual([{ status: 400, error_code: 'INVALID_REQUEST' }]);
    const invalidQuery = await other.responses.inputItems
      .list('resp_x', { limit: 500 })
      .catch((caught: unknown) => caught);
    expect(invalidQuery).toMatchObject({ status: 400, param: 'limit' });
  });
});
