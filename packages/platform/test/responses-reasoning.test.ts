import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../src/providers/contract/fixture-server.ts';
import { FixtureFolder } from '../src/providers/contract/fixtures.ts';
import { type AppBehindUpstream, startAppBehindUpstream } from './support/fixture-upstream.ts';

/**
 * OpenAI's `reasoning` over a Claude model, with the official `openai` client against the running
 * platform and a loopback server replaying Anthropic's documented wire format: an effort becomes
 * a thinking budget, thinking comes back as `reasoning` items (streamed as reasoning-summary
 * events), and the signed thinking returns to Anthropic byte for byte on the next turn — whether
 * the client sends its items back (`store: false`) or continues with `previous_response_id`.
 */
const fixtureDirectory = new URL('../src/providers/anthropic/__fixtures__/', import.meta.url);
const fixtures = new FixtureFolder(fixtureDirectory);
const claude = 'anthropic/claude-sonnet-5-5';

interface ThinkingFixture {
  content: Array<{ type: string; thinking?: string; signature?: string; data?: string; text?: string }>;
}
const thinkingFixture = JSON.parse(
  readFileSync(new URL('thinking.json', fixtureDirectory), 'utf8'),
) as ThinkingFixture;
const [fixtureThinking, fixtureRedacted] = thinkingFixture.content;

interface UpstreamBody {
  thinking?: unknown;
  temperature?: unknown;
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Get the current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

let setup: AppBehindUpstream;
let upstream: FixtureServer;
let client: OpenAI;

beforeAll(async () => {
  setup = await startAppBehindUpstream('anthropic');
  upstream = setup.upstream;
  client = new OpenAI({ apiKey: setup.secret, baseURL: `${setup.testApp.baseUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await setup?.close();
});

function lastUpstreamBody(): UpstreamBody {
  return upstream.requests.at(-1)?.body as UpstreamBody;
}

describe('reasoning on the Responses API over a Claude model', () => {
  let first: OpenAI.Responses.Response;
  const input = [{ role: 'user' as const, content: 'What is 27 * 453?' }];

  it('turns an effort into a thinking budget, and thinking into reasoning items before the answer', async () => {
    upstream.enqueue(fixtures.response('thinking'));
    first = await client.responses.create({ model: claude, input, reasoning: { effort: 'low' } });
    expect(lastUpstreamBody().thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'reasoning', 'message']);
    const [thinking, redacted] = first.output as OpenAI.Responses.ResponseReasoningItem[];
    expect(thinking?.summary).toEqual([{ type: 'summary_text', text: fixtureThinking?.thinking }]);
    expect(thinking?.encrypted_content).toMatch(/^kimi\.reasoning\.v1\./);
    expect(redacted?.summary).toEqual([]);
    expect(first.output_text).toBe('27 × 453 = 12,231.');
    expect(first.reasoning).toEqual({ effort: 'low', summary: null });
  });

  it('sends the signed thinking back byte for byte when the client returns its items (store: false)', async () => {
    upstream.enqueue(fixtures.response('text'));
    await client.responses.create({
      model: claude,
      store: false,
      reasoning: { effort: 'low' },
      input: [
        ...input,
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { role: 'user', content: 'And twice that?' },
      ],
    });
    const assistant = lastUpstreamBody().messages[1];
    expect(assistant?.role).toBe('assistant');
    expect(assistant?.content).toEqual([
      { type: 'thinking', thinking: fixtureThinking?.thinking, signature: fixtureThinking?.signature },
      { type: 'redacted_thinking', data: fixtureRedacted?.data },
      { type: 'text', text: '27 × 453 = 12,231.' },
    ]);
  });

  it('sends it back the same way when the conversation continues with previous_response_id', async () => {
    upstream.enqueue(fixtures.response('text'));
    await client.responses.create({
      model: claude,
      previous_response_id: first.id,
      reasoning: { effort: 'low' },
      input: 'And twice that?',
    });
    expect(lastUpstreamBody().messages[1]?.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: fixtureThinking?.thinking, signature: fixtureThinking?.signature },
      { type: 'redacted_thinking', data: fixtureRedacted?.data },
    ]);
  });

  it('streams thinking as reasoning-summary events, and the tool round trip keeps the signature', async () => {
    upstream.enqueue(fixtures.response('thinking-stream'));
    const stream = await client.responses.create({
      model: claude,
      input: 'What is the weather in Paris?',
      tools: [weatherTool],
      reasoning: { effort: 'medium' },
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(lastUpstreamBody().thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    const types = events.map((event) => event.type);
    expect(types.slice(0, 7)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
    ]);
    const summaryDone = events.find((event) => event.type === 'response.reasoning_summary_text.done');
    expect(summaryDone).toMatchObject({
      text: 'The user wants the weather in Paris. I should call get_weather.',
    });
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.type).toBe('response.completed');
    expect(completed.response.output.map((item) => item.type)).toEqual([
      'reasoning',
      'message',
      'function_call',
    ]);
    const call = completed.response.output[2] as OpenAI.Responses.ResponseFunctionToolCall;
    const streamedSignature = /"signature":"([^"]+)"/.exec(
      readFileSync(new URL('thinking-stream.chunks.txt', fixtureDirectory), 'utf8'),
    )?.[1];

    upstream.enqueue(fixtures.response('text'));
    await client.responses.create({
      model: claude,
      previous_response_id: completed.response.id,
      tools: [weatherTool],
      reasoning: { effort: 'medium' },
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21 °C' }],
    });
    const assistant = lastUpstreamBody().messages[1];
    expect(assistant?.content[0]).toEqual({
      type: 'thinking',
      thinking: 'The user wants the weather in Paris. I should call get_weather.',
      signature: streamedSignature,
    });
    expect(assistant?.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
  });

  it('asks for no thinking when the caller set a temperature, which Anthropic refuses beside it', async () => {
    upstream.enqueue(fixtures.response('text'));
    await client.responses.create({
      model: claude,
      input: 'Hi',
      temperature: 0.3,
      reasoning: { effort: 'high' },
    });
    expect(lastUpstreamBody().thinking).toBeUndefined();
    expect(lastUpstreamBody().temperature).toBe(0.3);
  });

  it("maps Chat Completions' reasoning_effort to a thinking budget too", async () => {
    upstream.enqueue(fixtures.response('thinking'));
    const completion = await client.chat.completions.create({
      model: claude,
      messages: [{ role: 'user', content: 'What is 27 * 453?' }],
      reasoning_effort: 'high',
    });
    expect(lastUpstreamBody().thinking).toEqual({ type: 'enabled', budget_tokens: 24_576 });
    expect(completion.choices[0]?.message.content).toBe('27 × 453 = 12,231.');
  });
});
