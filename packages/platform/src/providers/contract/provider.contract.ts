import { describe, expect, it } from 'vitest';
import { isPlatformError, type PlatformError } from '../../errors/index.ts';
import type { ChatRequest, ChatResult, ChatStreamPart, Provider, ToolCall } from '../../model/index.ts';
import { type RecordedRequest, startFixtureServer } from './fixture-server.ts';
import { useFixtureSuite } from './fixture-suite.ts';

/**
 * The one suite every provider adapter passes, over real HTTP against a local server replaying the
 * provider's documented wire format from `__fixtures__/`. The scenarios fix WHAT each fixture means
 * (the text, tool calls, usage and errors below); each provider's fixtures say it in its own format.
 */
export interface ProviderContractOptions {
  name: string;
  fixtures: URL;
  /** The provider under test, pointed at `baseUrl` and configured with `configuredApiKey`. */
  createProvider(baseUrl: string): Provider;
  configuredApiKey: string;
  chatModel: string;
  embeddingModel?: string;
  /** Asserts the recorded request authenticated with `apiKey`, the provider's way. */
  expectApiKey(request: RecordedRequest, apiKey: string): void;
  /** The path (with query) chat requests must go to. */
  chatPath: RegExp;
  embeddingPath?: RegExp;
}

export const contractText = 'Hello! How can I help you today?';

const baseRequest: Omit<ChatRequest, 'model'> = {
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hello!' },
  ],
  temperature: 0.5,
  topP: 0.9,
  maxTokens: 100,
  stop: ['END'],
  user: 'end-user-1',
};

const weatherTools: Omit<ChatRequest, 'model'> = {
  messages: [{ role: 'user', content: 'What is the weather in Paris and the time in Tokyo?' }],
  tools: [
    {
      name: 'get_weather',
      description: 'Get the current weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
    {
      name: 'get_time',
      description: 'Get the local time in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ],
  toolChoice: 'auto',
};

const toolResultConversation: Omit<ChatRequest, 'model'> = {
  messages: [
    { role: 'user', content: 'What is the weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      toolCalls: [{ id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    },
    { role: 'tool', toolCallId: 'call_weather_1', content: '{"temperature_c":18,"sky":"cloudy"}' },
  ],
  tools: weatherTools.tools!,
};

const jsonModeRequest: Omit<ChatRequest, 'model'> = {
  messages: [{ role: 'user', content: 'Who wrote the first program? Answer as JSON.' }],
  responseFormat: {
    type: 'json_schema',
    name: 'person',
    strict: true,
    schema: {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
      additionalProperties: false,
    },
  },
};

const imageRequest: Omit<ChatRequest, 'model'> = {
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this image?' },
        { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
      ],
    },
  ],
};

async function collect(stream: AsyncIterable<ChatStreamPart>) {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'text-delta') text += part.delta;
    if (part.type === 'tool-call-start')
      toolCalls[part.toolCallIndex] = { id: part.id, name: part.name, arguments: '' };
    if (part.type === 'tool-call-delta') toolCalls[part.toolCallIndex]!.arguments += part.argumentsDelta;
  }
  const finish = parts.find((part) => part.type === 'finish');
  const usage = parts.find((part) => part.type === 'usage');
  return { parts, text, toolCalls, finish, usage };
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isPlatformError(error), `expected a PlatformError, got ${String(error)}`).toBe(true);
  return error as PlatformError;
}

function expectWeatherCalls(toolCalls: readonly ToolCall[]) {
  expect(toolCalls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
  expect(JSON.parse(toolCalls[0]!.arguments)).toEqual({ city: 'Paris' });
  expect(JSON.parse(toolCalls[1]!.arguments)).toEqual({ city: 'Tokyo' });
  for (const call of toolCalls) expect(call.id.length).toBeGreaterThan(0);
}

export function runProviderContract(options: ProviderContractOptions): void {
  describe(`provider contract: ${options.name}`, () => {
    const suite = useFixtureSuite(options.fixtures, options.createProvider);
    const { fixtures } = suite;
    const context = { requestId: 'req_contract' };

    /** Queues the scenario's response, runs `call`, and checks the recorded request. */
    async function scenario<T>(
      name: string,
      call: () => Promise<T>,
    ): Promise<{ outcome: T; request: RecordedRequest }> {
      suite.server.enqueue(fixtures.response(name));
      const before = suite.server.requests.length;
      const outcome = await call();
      const request = suite.server.requests[before];
      expect(request, `no upstream request for ${name}`).toBeDefined();
      const expected = fixtures.expectedRequest(name);
      if (expected !== undefined) expect(request!.body).toMatchObject(expected as object);
      return { outcome, request: request! };
    }

    const chat = () => suite.provider.languageModel(options.chatModel);
    const generate = (request: Omit<ChatRequest, 'model'>) =>
      chat().generate({ ...request, model: options.chatModel }, context);
    const stream = (request: Omit<ChatRequest, 'model'>) =>
      collect(chat().stream({ ...request, model: options.chatModel }, context));

    it('lists the chat model with a context window', () => {
      const model = suite.provider.listModels().find((entry) => entry.modelId === options.chatModel);
      expect(model).toMatchObject({ kind: 'chat', provider: suite.provider.name, simulated: false });
      expect(model!.contextWindow).toBeGreaterThan(0);
      expect(model!.id).toBe(`${suite.provider.name}/${options.chatModel}`);
    });

    it('text: converts the request and the answer, with usage', async () => {
      const { outcome, request } = await scenario('text', () => generate(baseRequest));
      expect(request.method).toBe('POST');
      expect(request.url).toMatch(options.chatPath);
      options.expectApiKey(request, options.configuredApiKey);
      const result = outcome as ChatResult;
      expect(result.choices).toHaveLength(1);
      expect(result.choices[0]).toMatchObject({
        index: 0,
        content: contractText,
        toolCalls: [],
        finishReason: 'stop',
      });
      expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 9, cachedPromptTokens: 0 });
    });

    it('text-stream: streams deltas that join to the text, then finish and usage', async () => {
      const { outcome } = await scenario('text-stream', () => stream(baseRequest));
      expect(outcome.text).toBe(contractText);
      expect(outcome.parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
      expect(outcome.finish).toMatchObject({ choiceIndex: 0, finishReason: 'stop' });
      expect(outcome.usage).toEqual({
        type: 'usage',
        usage: { promptTokens: 12, completionTokens: 9, cachedPromptTokens: 0 },
      });
      expect(outcome.parts[outcome.parts.length - 1]?.type).toBe('usage');
    });

    it('tool-calls: converts tools and returns parallel tool calls', async () => {
      const { outcome } = await scenario('tool-calls', () => generate(weatherTools));
      const choice = (outcome as ChatResult).choices[0]!;
      expect(choice.finishReason).toBe('tool_calls');
      expectWeatherCalls(choice.toolCalls);
      expect((outcome as ChatResult).usage).toEqual({
        promptTokens: 80,
        completionTokens: 40,
        cachedPromptTokens: 0,
      });
    });

    it('tool-calls-stream: streams tool calls as start, argument deltas and end', async () => {
      const { outcome } = await scenario('tool-calls-stream', () => stream(weatherTools));
      expectWeatherCalls(outcome.toolCalls);
      expect(outcome.parts.filter((part) => part.type === 'tool-call-end')).toHaveLength(2);
      expect(outcome.finish).toMatchObject({ finishReason: 'tool_calls' });
    });

    it('tool-result: sends earlier tool calls and their results back', async () => {
      const { outcome } = await scenario('tool-result', () => generate(toolResultConversation));
      expect((outcome as ChatResult).choices[0]).toMatchObject({
        content: 'It is 18°C and cloudy in Paris.',
        finishReason: 'stop',
      });
    });

    it('cached-usage: reports prompt tokens including the cached ones', async () => {
      const { outcome } = await scenario('cached-usage', () => generate(baseRequest));
      expect((outcome as ChatResult).choices[0]?.content).toBe('Cached answer.');
      // Cache writes (Anthropic) are part of the prompt too; providers without them leave the field out.
      expect((outcome as ChatResult).usage).toMatchObject({
        promptTokens: 2000,
        completionTokens: 5,
        cachedPromptTokens: 1500,
      });
    });

    it('length: maps the truncation finish reason', async () => {
      const { outcome } = await scenario('length', () => generate(baseRequest));
      expect((outcome as ChatResult).choices[0]).toMatchObject({
        content: 'This answer was cut',
        finishReason: 'length',
      });
    });

    it('stream-error: an error event mid-stream throws a retryable error after the text so far', async () => {
      suite.server.enqueue(fixtures.response('stream-error'));
      const parts: ChatStreamPart[] = [];
      const error = await failure(
        (async () => {
          for await (const part of chat().stream({ ...baseRequest, model: options.chatModel }, context))
            parts.push(part);
        })(),
      );
      expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
      expect(error.retryable).toBe(true);
      expect(error.category).toBe('provider');
    });

    const errorScenarios: Array<[string, Partial<PlatformError>]> = [
      ['rate-limit', { code: 'PROVIDER_RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 7000 }],
      ['server-error', { code: 'PROVIDER_UNAVAILABLE', retryable: true }],
      ['bad-request', { code: 'PROVIDER_INVALID_REQUEST', status: 400, retryable: false, category: 'user' }],
      ['context-length', { code: 'CONTEXT_LENGTH_EXCEEDED', status: 400, retryable: false }],
      ['authentication', { code: 'PROVIDER_AUTHENTICATION_FAILED', retryable: false, category: 'provider' }],
    ];
    for (const [name, expected] of errorScenarios) {
      it(`${name}: maps the provider's error, keeping its message`, async () => {
        suite.server.enqueue(fixtures.response(name));
        const error = await failure(generate(baseRequest));
        expect(error).toMatchObject(expected);
        if (name === 'bad-request') expect(error.message).toContain('temperature');
        suite.server.enqueue(fixtures.response(name));
        const streamed = await failure(stream(baseRequest));
        expect(streamed.code).toBe(expected.code);
      });
    }

    it.runIf(fixtures.has('content-filter'))('content-filter: maps a content policy refusal', async () => {
      suite.server.enqueue(fixtures.response('content-filter'));
      const error = await failure(generate(baseRequest));
      expect(error).toMatchObject({ code: 'CONTENT_FILTERED', status: 400, retryable: false });
    });

    it.runIf(fixtures.has('json-mode'))('json-mode: converts a JSON schema response format', async () => {
      const { outcome } = await scenario('json-mode', () => generate(jsonModeRequest));
      expect(JSON.parse((outcome as ChatResult).choices[0]?.content ?? '')).toEqual({
        name: 'Ada Lovelace',
        age: 36,
      });
    });

    it.runIf(fixtures.has('image'))('image: converts image content parts', async () => {
      const { outcome } = await scenario('image', () => generate(imageRequest));
      expect((outcome as ChatResult).choices[0]?.content).toBe('A tiny transparent PNG.');
    });

    it.runIf(options.embeddingModel !== undefined)(
      'embeddings: returns vectors in input order, with usage',
      async () => {
        const model = suite.provider.embeddingModel(options.embeddingModel!);
        const { outcome, request } = await scenario('embeddings', () =>
          model.embed({ model: options.embeddingModel!, input: ['first text', 'second text'] }, context),
        );
        expect(request.url).toMatch(options.embeddingPath ?? /./);
        expect(outcome.embeddings).toEqual([
          [0.1, 0.2, 0.3],
          [0.4, 0.5, 0.6],
        ]);
        expect(outcome.usage).toEqual({ promptTokens: 8 });
      },
    );

    it('uses per-call credentials instead of the configured key, read at call time', async () => {
      const { request } = await scenario('text', () =>
        chat().generate(
          { ...baseRequest, model: options.chatModel },
          { ...context, credentials: { apiKey: 'sk-organization-key' } },
        ),
      );
      options.expectApiKey(request, 'sk-organization-key');
      const other = await startFixtureServer();
      try {
        other.enqueue(fixtures.response('text'));
        await chat().generate(
          { ...baseRequest, model: options.chatModel },
          { ...context, credentials: { apiKey: 'sk-organization-key', baseUrl: other.baseUrl } },
        );
        expect(other.requests).toHaveLength(1);
      } finally {
        await other.close();
      }
    });

    it('an unreachable upstream is a retryable PROVIDER_UNAVAILABLE', async () => {
      const closed = await startFixtureServer();
      const url = closed.baseUrl;
      await closed.close();
      const unreachable = options.createProvider(url);
      const error = await failure(
        unreachable
          .languageModel(options.chatModel)
          .generate({ ...baseRequest, model: options.chatModel }, context),
      );
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    });

    it('an abort stops the call promptly with the abort reason', async () => {
      suite.server.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      const reason = new Error('client went away');
      setTimeout(() => controller.abort(reason), 50);
      const started = performance.now();
      const error = await chat()
        .generate({ ...baseRequest, model: options.chatModel }, { ...context, signal: controller.signal })
        .catch((caught: unknown) => caught);
      expect(error).toBe(reason);
      expect(performance.now() - started).toBeLessThan(2000);
    });
  });
}
