import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../errors/index.ts';
import type { ChatRequest, ChatStreamPart, Provider, ReasoningBlock } from '../../model/index.ts';
import type { RecordedRequest } from './fixture-server.ts';
import { useFixtureSuite } from './fixture-suite.ts';
import { contractText } from './provider.contract.ts';

/**
 * The suite every adapter with a native Responses endpoint passes (OpenAI, Azure OpenAI): a
 * request that came through the platform's Responses API goes to the provider's own `/responses`
 * over real HTTP, against a local server replaying the documented wire format from
 * `__fixtures__/responses-*`, and the answer comes back as the internal result — text, tool calls,
 * usage, finish reasons, errors, and reasoning with its encrypted content for the next turn.
 */
export interface ResponsesContractOptions {
  name: string;
  fixtures: URL;
  createProvider(baseUrl: string): Provider;
  configuredApiKey: string;
  /** A model without reasoning, and one with it. */
  chatModel: string;
  reasoningModel: string;
  expectApiKey(request: RecordedRequest, apiKey: string): void;
  /** The path Responses requests must go to, and the one chat completions go to. */
  responsesPath: RegExp;
  chatPath: RegExp;
}

/** What the platform's Responses API puts on a request: the fields it does not model. */
const native = (fields: Record<string, unknown> = {}) => ({ passthrough: { openaiResponses: { fields } } });

const baseRequest: Omit<ChatRequest, 'model'> = {
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hello!' },
  ],
  temperature: 0.5,
  topP: 0.9,
  maxTokens: 100,
  ...native(),
};

const weatherTools: Omit<ChatRequest, 'model'> = {
  messages: [{ role: 'user', content: 'What is the weather in Paris and the time in Tokyo?' }],
  tools: ['get_weather', 'get_time'].map((name) => ({
    name,
    description: `Get the ${name === 'get_weather' ? 'current weather' : 'local time'} in a city`,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  })),
  toolChoice: 'auto',
  ...native(),
};

async function collect(stream: AsyncIterable<ChatStreamPart>) {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  const text = parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
  const reasoning = parts.map((part) => (part.type === 'reasoning-delta' ? part.delta : '')).join('');
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  for (const part of parts) {
    if (part.type === 'tool-call-start')
      calls[part.toolCallIndex] = { id: part.id, name: part.name, arguments: '' };
    if (part.type === 'tool-call-delta') calls[part.toolCallIndex]!.arguments += part.argumentsDelta;
  }
  return { parts, text, reasoning, calls, finish: parts.find((part) => part.type === 'finish') };
}

export function runResponsesContract(options: ResponsesContractOptions): void {
  describe(`Responses contract: ${options.name}`, () => {
    const suite = useFixtureSuite(options.fixtures, options.createProvider);
    const { fixtures } = suite;
    const context = { requestId: 'req_responses_contract' };

    /** Queues the fixture, runs `call`, checks the path and (unless `replyOnly`) the request fixture. */
    async function scenario<T>(name: string, call: () => Promise<T>, replyOnly = false) {
      suite.server.enqueue(fixtures.response(name));
      const before = suite.server.requests.length;
      const outcome = await call();
      const request = suite.server.requests[before];
      expect(request, `no upstream request for ${name}`).toBeDefined();
      expect(request!.url).toMatch(options.responsesPath);
      const expected = fixtures.expectedRequest(name);
      if (expected !== undefined && !replyOnly) expect(request!.body).toMatchObject(expected as object);
      return { outcome, body: request!.body as Record<string, unknown>, request: request! };
    }

    const generate = (request: Omit<ChatRequest, 'model'>, model = options.chatModel) =>
      suite.provider.languageModel(model).generate({ ...request, model }, context);
    const stream = (request: Omit<ChatRequest, 'model'>, model = options.chatModel) =>
      collect(suite.provider.languageModel(model).stream({ ...request, model }, context));

    it('responses-text: the request as Responses input, the answer and its usage', async () => {
      const { outcome, body, request } = await scenario('responses-text', () => generate(baseRequest));
      options.expectApiKey(request, options.configuredApiKey);
      expect(body.model).toBe(options.chatModel);
      // A model that does not reason is sent no reasoning setting and asked for no encrypted content.
      expect(body).not.toHaveProperty('reasoning');
      expect(body).not.toHaveProperty('include');
      expect(outcome.choices[0]).toMatchObject({
        content: contractText,
        toolCalls: [],
        finishReason: 'stop',
      });
      expect(outcome.usage).toEqual({ promptTokens: 12, completionTokens: 9, cachedPromptTokens: 0 });
      expect(outcome.providerResponseId).toMatch(/^resp_/);
    });

    it('only a request from the Responses API goes to /responses; chat completions stay chat completions', async () => {
      suite.server.enqueue(fixtures.response('text'));
      const before = suite.server.requests.length;
      const { passthrough: _passthrough, ...plain } = baseRequest;
      await generate(plain).catch(() => undefined);
      expect(suite.server.requests[before]?.url).toMatch(options.chatPath);
    });

    it('responses-text-stream: text deltas, then finish and usage', async () => {
      const { outcome, body } = await scenario('responses-text-stream', () => stream(baseRequest));
      expect(body.stream).toBe(true);
      expect(outcome.text).toBe(contractText);
      expect(outcome.finish).toMatchObject({ finishReason: 'stop' });
      expect(outcome.parts.at(-1)).toEqual({
        type: 'usage',
        usage: { promptTokens: 12, completionTokens: 9, cachedPromptTokens: 0 },
      });
    });

    it('responses-tool-calls: function tools out, parallel function calls back', async () => {
      const { outcome } = await scenario('responses-tool-calls', () => generate(weatherTools));
      const choice = outcome.choices[0]!;
      expect(choice.finishReason).toBe('tool_calls');
      expect(choice.toolCalls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
        ['get_weather', { city: 'Paris' }],
        ['get_time', { city: 'Tokyo' }],
      ]);
      for (const call of choice.toolCalls) expect(call.id).toMatch(/^call_/);
    });

    it('responses-tool-calls-stream: each call as start, argument deltas and end', async () => {
      const { outcome } = await scenario('responses-tool-calls-stream', () => stream(weatherTools));
      expect(outcome.calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
        ['get_weather', { city: 'Paris' }],
        ['get_time', { city: 'Tokyo' }],
      ]);
      expect(outcome.parts.filter((part) => part.type === 'tool-call-end')).toHaveLength(2);
      expect(outcome.finish).toMatchObject({ finishReason: 'tool_calls' });
    });

    it('sends tool calls and their outputs back as function_call and function_call_output items', async () => {
      const { body } = await scenario(
        'responses-text',
        () =>
          generate({
            ...weatherTools,
            messages: [
              { role: 'user', content: 'Weather in Paris?' },
              {
                role: 'assistant',
                content: null,
                toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
              },
              { role: 'tool', toolCallId: 'call_1', content: 'cloudy' },
            ],
          }),
        true,
      );
      expect(body.input).toEqual([
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'cloudy' },
      ]);
    });

    it('responses-reasoning: effort and summary out, reasoning with its encrypted content back — and sent back next turn', async () => {
      const request = {
        ...baseRequest,
        reasoning: { effort: 'low' as const },
        ...native({ reasoning: { summary: 'auto' } }),
      };
      const { outcome } = await scenario('responses-reasoning', () =>
        generate(request, options.reasoningModel),
      );
      const [block] = outcome.choices[0]!.reasoning as ReasoningBlock[];
      expect(block).toMatchObject({
        type: 'thinking',
        text: '**Multiplying** 27 by 453 gives 12,231.',
        provider: suite.provider.name,
      });
      const signed = block as Extract<ReasoningBlock, { type: 'thinking' }>;
      expect(signed.signature).toMatch(/^gAAAAA/);
      expect(signed.itemId).toMatch(/^rs_/);
      expect(outcome.choices[0]?.content).toBe('27 × 453 = 12,231.');

      const { body } = await scenario(
        'responses-text',
        () =>
          generate(
            {
              ...request,
              messages: [
                { role: 'user', content: 'What is 27 * 453?' },
                // Claude's signed thinking verifies only at Anthropic: it stays behind.
                {
                  role: 'assistant',
                  content: '12,231.',
                  reasoning: [block!, { type: 'thinking', text: 'claude', signature: 'EqQB' }],
                },
                { role: 'user', content: 'Thanks' },
              ],
            },
            options.reasoningModel,
          ),
        true,
      );
      expect(body.input).toEqual([
        { role: 'user', content: 'What is 27 * 453?' },
        {
          type: 'reasoning',
          id: signed.itemId,
          summary: [{ type: 'summary_text', text: signed.text }],
          encrypted_content: signed.signature,
        },
        { role: 'assistant', content: '12,231.' },
        { role: 'user', content: 'Thanks' },
      ]);
    });

    it('responses-reasoning-stream: summary deltas as reasoning, closed by the encrypted content', async () => {
      const request = { ...baseRequest, reasoning: { effort: 'low' as const } };
      const { outcome } = await scenario('responses-reasoning-stream', () =>
        stream(request, options.reasoningModel),
      );
      expect(outcome.reasoning).toBe('**Multiplying** 27 by 453 gives 12,231.');
      const signature = outcome.parts.find((part) => part.type === 'reasoning-signature');
      expect(signature).toMatchObject({
        provider: suite.provider.name,
        itemId: expect.stringMatching(/^rs_/),
      });
      expect(outcome.text).toBe('27 × 453 = 12,231.');
      const order = outcome.parts.map((part) => part.type);
      expect(order.indexOf('reasoning-signature')).toBeLessThan(order.indexOf('text-delta'));
    });

    it('responses-incomplete: a response stopped by max_output_tokens finishes with length', async () => {
      const { outcome } = await scenario('responses-incomplete', () => generate(baseRequest));
      expect(outcome.choices[0]).toMatchObject({ content: 'This answer was cut', finishReason: 'length' });
    });

    it('responses-failed-stream: response.failed after some text throws a retryable provider error', async () => {
      suite.server.enqueue(fixtures.response('responses-failed-stream'));
      const parts: ChatStreamPart[] = [];
      const error = await (async () => {
        for await (const part of suite.provider
          .languageModel(options.chatModel)
          .stream({ ...baseRequest, model: options.chatModel }, context)) {
          parts.push(part);
        }
      })().catch((caught: unknown) => caught);
      expect(isPlatformError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, category: 'provider' });
      expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
    });

    it('errors on /responses map as for chat completions', async () => {
      suite.server.enqueue(fixtures.response('rate-limit'));
      const error = await generate(baseRequest).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', status: 429, retryable: true });
      expect(suite.server.requests.at(-1)?.url).toMatch(options.responsesPath);
    });
  });
}
