import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../src/providers/contract/fixture-server.ts';
import { FixtureFolder } from '../src/providers/contract/fixtures.ts';
import { type AppBehindUpstream, startAppBehindUpstream } from './support/fixture-upstream.ts';
import type { TestApp } from './support/test-app.ts';

/**
 * The Responses API forwarded natively to OpenAI's own `/responses` (a loopback server replaying
 * OpenAI's documented wire format), with the official `openai` client against the running
 * platform: the platform keeps the conversation (`store: false` upstream), asks a reasoning model
 * for its encrypted reasoning, and sends that reasoning back with the item id OpenAI gave it when
 * the conversation continues by `previous_response_id`.
 */
const fixtures = new FixtureFolder(new URL('../src/providers/openai/__fixtures__/', import.meta.url));

let setup: AppBehindUpstream;
let upstream: FixtureServer;
let testApp: TestApp;
let client: OpenAI;

beforeAll(async () => {
  setup = await startAppBehindUpstream('openai');
  ({ upstream, testApp } = setup);
  client = new OpenAI({ apiKey: setup.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await setup?.close();
});

const lastUpstream = () => upstream.requests.at(-1) as { url: string; body: Record<string, unknown> };

describe('the Responses API forwarded to OpenAI natively', () => {
  let first: OpenAI.Responses.Response;

  it('forwards a reasoning request statelessly and returns its reasoning with usage', async () => {
    upstream.enqueue(fixtures.response('responses-reasoning'));
    first = await client.responses.create({
      model: 'openai/o4-mini',
      instructions: 'Be exact.',
      input: 'What is 27 * 453?',
      reasoning: { effort: 'low', summary: 'auto' },
      text: { verbosity: 'low' },
      prompt_cache_key: 'arithmetic',
    });
    const { url, body } = lastUpstream();
    expect(url).toBe('/responses');
    expect(body).toMatchObject({
      model: 'o4-mini',
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low', summary: 'auto' },
      text: { verbosity: 'low' },
      prompt_cache_key: 'arithmetic',
      input: [
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: 'What is 27 * 453?' },
      ],
    });
    expect(body).not.toHaveProperty('previous_response_id');
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary).toEqual([
      { type: 'summary_text', text: '**Multiplying** 27 by 453 gives 12,231.' },
    ]);
    expect(first.output_text).toBe('27 × 453 = 12,231.');
    expect(first.usage).toMatchObject({ input_tokens: 20, output_tokens: 150 });
    expect(first.model).toBe('openai/o4-mini');
  });

  it("continues with previous_response_id, sending OpenAI's encrypted reasoning back under its own id", async () => {
    upstream.enqueue(fixtures.response('responses-text'));
    const second = await client.responses.create({
      model: 'openai/o4-mini',
      previous_response_id: first.id,
      input: 'Thanks!',
      reasoning: { effort: 'low' },
    });
    const input = lastUpstream().body.input as Array<Record<string, unknown>>;
    expect(input).toEqual([
      { role: 'user', content: 'What is 27 * 453?' },
      {
        type: 'reasoning',
        id: 'rs_oa016a6b452d3795b',
        summary: [{ type: 'summary_text', text: '**Multiplying** 27 by 453 gives 12,231.' }],
        encrypted_content: expect.stringMatching(/^gAAAAA/),
      },
      { role: 'assistant', content: '27 × 453 = 12,231.' },
      { role: 'user', content: 'Thanks!' },
    ]);
    expect(second.output_text).toBe('Hello! How can I help you today?');
  });

  it('streams from OpenAI as the same semantic events, with the usage metered', async () => {
    upstream.enqueue(fixtures.response('responses-text-stream'));
    const stream = await client.responses.create({
      model: 'openai/gpt-4o-mini',
      input: 'Hello!',
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(lastUpstream().body).toMatchObject({ stream: true, store: false, model: 'gpt-4o-mini' });
    expect(lastUpstream().body).not.toHaveProperty('include');
    const deltas = events.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.map((event) => (event as OpenAI.Responses.ResponseTextDeltaEvent).delta).join('')).toBe(
      'Hello! How can I help you today?',
    );
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.type).toBe('response.completed');
    expect(completed.response.usage).toMatchObject({ input_tokens: 12, output_tokens: 9 });
    const rows = await testApp.database.query<{ prompt_tokens: number; completion_tokens: number }>(
      "SELECT prompt_tokens, completion_tokens FROM usage_records WHERE served_model = 'openai/gpt-4o-mini' ORDER BY created_at DESC LIMIT 1",
    );
    expect(rows.rows[0]).toEqual({ prompt_tokens: 12, completion_tokens: 9 });
  });

  it('keeps Chat Completions on /chat/completions for the same model', async () => {
    upstream.enqueue(fixtures.response('text'));
    await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(lastUpstream().url).toBe('/chat/completions');
  });
});
