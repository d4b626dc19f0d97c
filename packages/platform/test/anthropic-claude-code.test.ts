import { readFileSync } from 'node:fs';
import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../src/providers/contract/fixture-server.ts';
import { FixtureFolder } from '../src/providers/contract/fixtures.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * What Claude Code needs of an Anthropic gateway, with the official client against the running
 * platform: count_tokens on any model, and a Claude model behind it (a loopback server replaying
 * Anthropic's documented wire format) that receives the client's beta headers, prompt-caching
 * hints, thinking settings and fields we do not know, and whose thinking signatures come back as
 * they were sent.
 */
const fixtureDirectory = new URL('../src/providers/anthropic/__fixtures__/', import.meta.url);
const fixtures = new FixtureFolder(fixtureDirectory);
const claude = 'anthropic/claude-sonnet-5-5';
const betas = 'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14';

let upstream: FixtureServer;
let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };
let client: Anthropic;

beforeAll(async () => {
  upstream = await startFixtureServer();
  testApp = await startTestApp({
    listen: true,
    config: { providers: { anthropic: { base_url: upstream.baseUrl, api_key: 'sk-ant-platform-key' } } },
  });
  tenant = await createTenant(testApp);
  client = new Anthropic({ apiKey: tenant.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
});

afterAll(async () => {
  await testApp?.close();
  await upstream?.close();
});

interface UsageRow {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  cost_usd: string;
}

async function usageRow(requestId: string | null | undefined): Promise<UsageRow | undefined> {
  const result = await testApp.database.query<UsageRow>('SELECT * FROM usage_records WHERE request_id = $1', [
    requestId,
  ]);
  return result.rows[0];
}

/** The organisation's cache writes on the Claude model, as `GET /v1/usage` reports them. */
async function cacheWritesInUsage(): Promise<{ cache_write_tokens: number; cache_write_1h_tokens: number }> {
  const response = await fetch(`${testApp.baseUrl}/v1/usage?group_by=model`, {
    headers: { authorization: `Bearer ${tenant.secret}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    data: Array<{ group: string; cache_write_tokens: number; cache_write_1h_tokens: number }>;
  };
  return body.data.find((row) => row.group === claude) ?? { cache_write_tokens: 0, cache_write_1h_tokens: 0 };
}

/** The fixture's text, for signatures compared byte for byte with what the client received. */
function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtureDirectory), 'utf8');
}

const bashTool = {
  name: 'Bash',
  description: 'Executes a bash command.',
  input_schema: {
    type: 'object' as const,
    properties: { command: { type: 'string' } },
    required: ['command'],
  },
};

const weatherTool = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
  cache_control: { type: 'ephemeral' as const },
};

/** A Claude Code style system prompt: long, and cached for an hour. */
const system = [
  { type: 'text' as const, text: "You are Claude Code, Anthropic's official CLI for Claude." },
  {
    type: 'text' as const,
    text: 'You are an interactive CLI tool that helps users with software engineering tasks.',
    cache_control: { type: 'ephemeral' as const, ttl: '1h' as const },
  },
];

describe('POST /v1/messages/count_tokens', () => {
  it('counts a simulated model with the platform tokenizer: system, messages and tools', async () => {
    const messages = [{ role: 'user' as const, content: 'How many tokens is this?' }];
    const { data: plain, response } = await client.messages
      .countTokens({ model: 'sim/fast', messages })
      .withResponse();
    expect(plain.input_tokens).toBeGreaterThan(5);
    expect(response.headers.get('x-kimi-token-count-source')).toBe('tokenizer');
    const withSystem = await client.messages.countTokens({ model: 'sim/fast', messages, system });
    const withTools = await client.messages.countTokens({
      model: 'sim/fast',
      messages,
      system,
      tools: [bashTool],
    });
    expect(withSystem.input_tokens).toBeGreaterThan(plain.input_tokens);
    expect(withTools.input_tokens).toBeGreaterThan(withSystem.input_tokens);
    // Nothing is generated: no usage row, and no provider call.
    expect(await usageRow(response.headers.get('request-id'))).toBeUndefined();
  });

  it('asks Anthropic for an Anthropic model, with the client headers and the prompt as sent', async () => {
    upstream.enqueue(fixtures.response('count-tokens'));
    const counted = await client.messages.countTokens(
      {
        model: claude,
        system,
        tools: [weatherTool],
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      },
      { headers: { 'anthropic-beta': betas, 'anthropic-version': '2023-06-01' } },
    );
    expect(counted).toEqual({ input_tokens: 2095 });
    const request = upstream.requests.at(-1)!;
    expect(request.url).toBe('/v1/messages/count_tokens');
    expect(request.headers['anthropic-beta']).toBe(betas);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['x-api-key']).toBe('sk-ant-platform-key');
    expect(request.body).toEqual({
      model: 'claude-sonnet-5-5',
      system,
      tools: [weatherTool],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    });
  });

  it("enforces the key's allowed models, and validates the body, in Anthropic's error shape", async () => {
    const limited = await createTenant(testApp, { allowedModels: ['sim/fast'] });
    const limitedClient = new Anthropic({ apiKey: limited.secret, baseURL: testApp.baseUrl, maxRetries: 0 });
    const calls = upstream.requests.length;
    const refused = await limitedClient.messages
      .countTokens({ model: claude, messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(upstream.requests.length).toBe(calls);
    const invalid = await client.messages
      .countTokens({ model: 'sim/fast', messages: [] })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(Anthropic.BadRequestError);
    expect((invalid as APIError).message).toMatch(/messages/);
  });
});

describe("Claude Code's request sequence against an Anthropic model", () => {
  it('count_tokens, then a streamed call with betas, tools, a cached system prompt and thinking', async () => {
    upstream.enqueue(fixtures.response('count-tokens'));
    upstream.enqueue(fixtures.response('thinking-stream'));
    const headers = { 'anthropic-beta': betas };
    const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
    await client.messages.countTokens({ model: claude, system, tools: [weatherTool], messages }, { headers });

    const raw: string[] = [];
    const stream = client.messages.stream(
      {
        model: claude,
        max_tokens: 4096,
        system,
        tools: [weatherTool],
        messages,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        metadata: { user_id: 'user_abc_account__session_123' },
        // A field of a newer API version than this platform knows: forwarded, not refused.
        context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      } as Anthropic.MessageStreamParams,
      { headers },
    );
    stream.on('streamEvent', (event) => raw.push(JSON.stringify(event)));
    const message = await stream.finalMessage();

    const [countRequest, messagesRequest] = upstream.requests.slice(-2);
    expect(countRequest?.url).toBe('/v1/messages/count_tokens');
    expect(messagesRequest?.url).toBe('/v1/messages');
    expect(messagesRequest?.headers['anthropic-beta']).toBe(betas);
    // The version the client speaks, not the platform's default.
    expect(messagesRequest?.headers['anthropic-version']).toBe(countRequest?.headers['anthropic-version']);
    expect(messagesRequest?.headers.accept).toBe('text/event-stream');
    expect(messagesRequest?.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      stream: true,
      max_tokens: 4096,
      system,
      tools: [weatherTool],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'user_abc_account__session_123' },
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
    });

    const signature = /"signature":"([^"]+)"/.exec(fixtureText('thinking-stream.chunks.txt'))?.[1];
    expect(signature).toBeDefined();
    expect(message.content).toEqual([
      {
        type: 'thinking',
        thinking: 'The user wants the weather in Paris. I should call get_weather.',
        signature,
      },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_01ThinkWeather', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(raw.some((event) => event.includes(`"signature_delta","signature":"${signature}"`))).toBe(true);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 30,
      cache_read_input_tokens: 2000,
      cache_creation_input_tokens: 0,
      output_tokens: 85,
    });
    // input 30 × $2 + cache read 2000 × $0.20 + output 85 × $10, per million
    expect(await usageRow(stream.request_id)).toMatchObject({
      prompt_tokens: 2030,
      cached_tokens: 2000,
      cache_write_tokens: 0,
      cost_usd: '0.001310000000',
    });
  });

  it('returns thinking and redacted_thinking as sent, and meters 5-minute and 1-hour cache writes apart', async () => {
    const writesBefore = await cacheWritesInUsage();
    upstream.enqueue(fixtures.response('thinking'));
    const { data: message, response } = await client.messages
      .create({
        model: claude,
        max_tokens: 4096,
        system,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        messages: [{ role: 'user', content: 'What is 27 * 453?' }],
      })
      .withResponse();
    const fixture = JSON.parse(fixtureText('thinking.json')) as { content: unknown[] };
    expect(message.content).toEqual(fixture.content);
    expect(message.usage).toMatchObject({
      input_tokens: 50,
      cache_creation_input_tokens: 1000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 },
    });
    // input 50 × $2 + 5-minute writes 400 × $2.50 + 1-hour writes 600 × $4 + output 120 × $10, per million
    expect(await usageRow(response.headers.get('request-id'))).toMatchObject({
      prompt_tokens: 1050,
      cache_write_tokens: 1000,
      cache_write_1h_tokens: 600,
      cost_usd: '0.004700000000',
    });
    // ...and /v1/usage reports them beside the cached tokens.
    const writesAfter = await cacheWritesInUsage();
    expect(writesAfter.cache_write_tokens - writesBefore.cache_write_tokens).toBe(1000);
    expect(writesAfter.cache_write_1h_tokens - writesBefore.cache_write_1h_tokens).toBe(600);

    // The next turn sends the thinking blocks back: Anthropic receives them exactly as it wrote them.
    upstream.enqueue(fixtures.response('text'));
    await client.messages.create({
      model: claude,
      max_tokens: 4096,
      system,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        { role: 'user', content: 'What is 27 * 453?' },
        { role: 'assistant', content: message.content },
        { role: 'user', content: 'And times two?' },
      ],
    });
    const sent = upstream.requests.at(-1)?.body as { messages: Array<{ content: unknown }> };
    expect(sent.messages[1]?.content).toEqual(fixture.content);
  });

  it('tolerates unknown fields for other providers too, and still validates the known ones', async () => {
    const message = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 32,
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello', some_future_field: true }] }],
      future_parameter: 'ignored',
    } as unknown as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.content[0]?.type).toBe('text');
    const invalid = await client.messages
      .create({
        model: 'sim/fast',
        max_tokens: 32,
        temperature: 3,
        messages: [{ role: 'user', content: 'Hello' }],
        future_parameter: 'ignored',
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(Anthropic.BadRequestError);
    expect((invalid as APIError).message).toMatch(/temperature/);
  });
});

describe('documents', () => {
  const pdf = {
    type: 'document' as const,
    title: 'Report',
    source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: 'JVBERi0xLjQK' },
    cache_control: { type: 'ephemeral' as const },
  };

  it('sends a PDF to an Anthropic model as it came', async () => {
    upstream.enqueue(fixtures.response('text'));
    await client.messages.create({
      model: claude,
      max_tokens: 256,
      messages: [{ role: 'user', content: [pdf, { type: 'text', text: 'Summarise the report.' }] }],
    });
    const sent = upstream.requests.at(-1)?.body as { messages: Array<{ content: unknown[] }> };
    expect(sent.messages[0]?.content[0]).toEqual(pdf);
  });

  it('refuses a PDF for a model that cannot read it, naming the block', async () => {
    const refused = await client.messages
      .create({
        model: 'sim/fast',
        max_tokens: 256,
        messages: [{ role: 'user', content: [pdf, { type: 'text', text: 'Summarise the report.' }] }],
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect((refused as APIError).message).toMatch(/messages\[0\]\.content\[0\]\.source/);
    const text = await client.messages.create({
      model: 'sim/fast',
      max_tokens: 256,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Sales rose.' } },
            { type: 'text', text: 'Summarise.' },
          ],
        },
      ],
    });
    expect(text.content[0]?.type).toBe('text');
  });
});

describe('GET /v1/models with Anthropic headers', () => {
  it("lists the key's models in Anthropic's shape, with cursors", async () => {
    const page = await client.models.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    for (const model of page.data) {
      expect(model).toEqual({
        type: 'model',
        id: expect.any(String),
        display_name: expect.any(String),
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const model of client.models.list({ limit: 3 })) all.push(model.id);
    expect(all).toContain(claude);
    expect(all).toContain('sim/fast');
    expect(new Set(all).size).toBe(all.length);
    const one = await client.models.retrieve(claude);
    expect(one).toMatchObject({ type: 'model', id: claude });
  });
});
