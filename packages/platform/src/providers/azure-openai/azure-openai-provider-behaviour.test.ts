import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStreamPart } from '../../model/index.ts';
import { type FixtureServer, startFixtureServer } from '../contract/fixture-server.ts';
import { createAzureOpenAIProvider } from './azure-openai-provider.ts';

let server: FixtureServer;
const context = { requestId: 'req_1' };
const hello = { model: 'chat deployment', messages: [{ role: 'user' as const, content: 'Hello' }] };

beforeAll(async () => {
  server = await startFixtureServer();
});

afterAll(async () => {
  await server.close();
});

function provider(endpoint: string, apiVersion?: string) {
  return createAzureOpenAIProvider({
    endpoint,
    apiKey: () => 'azure-key',
    ...(apiVersion ? { apiVersion } : {}),
    deployments: [
      {
        deployment: 'chat deployment',
        model: 'o4-mini',
        kind: 'chat',
        contextWindow: 200_000,
        maxOutputTokens: 100_000,
        maxTokensField: 'max_completion_tokens',
        capabilities: { vision: true },
      },
    ],
  });
}

const violence = {
  violence: { filtered: true, severity: 'high' },
  hate: { filtered: false, severity: 'safe' },
};

describe('createAzureOpenAIProvider', () => {
  it('lists deployments as azure/<deployment>', () => {
    expect(provider(server.baseUrl).listModels()).toEqual([
      expect.objectContaining({
        id: 'azure/chat deployment',
        modelId: 'chat deployment',
        contextWindow: 200_000,
      }),
    ]);
  });

  it('encodes the deployment in the path, takes the configured api-version and per-deployment conventions', async () => {
    server.enqueue({
      kind: 'json',
      status: 200,
      body: { choices: [{ index: 0, message: { content: 'Hi' }, finish_reason: 'stop' }] },
    });
    await provider(`${server.baseUrl}/`, '2025-04-01-preview')
      .languageModel('chat deployment')
      .generate({ ...hello, maxTokens: 10 }, context);
    const request = server.requests[server.requests.length - 1]!;
    expect(request.url).toBe(
      '/openai/deployments/chat%20deployment/chat/completions?api-version=2025-04-01-preview',
    );
    expect(request.body).toMatchObject({ max_completion_tokens: 10 });
  });

  it('fails with CONTENT_FILTERED, naming the category, when the output was filtered away', async () => {
    server.enqueue({
      kind: 'json',
      status: 200,
      body: {
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null },
            finish_reason: 'content_filter',
            content_filter_results: violence,
          },
        ],
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
      },
    });
    await expect(
      provider(server.baseUrl).languageModel('chat deployment').generate(hello, context),
    ).rejects.toMatchObject({
      code: 'CONTENT_FILTERED',
      message:
        "azure refused the content: the output was filtered by Azure's content management policy (triggered: violence (high))",
    });
  });

  it('streams a content_filter finish after the text it let through', async () => {
    const chunk = (choice: Record<string, unknown>) =>
      `data: ${JSON.stringify({ id: 'c', model: 'o4-mini', choices: [{ index: 0, content_filter_results: {}, ...choice }] })}\n\n`;
    server.enqueue({
      kind: 'stream',
      text:
        `data: ${JSON.stringify({ choices: [], id: '', model: '', prompt_filter_results: [] })}\n\n` +
        chunk({ delta: { content: 'Once upon' }, finish_reason: null }) +
        chunk({ delta: {}, finish_reason: 'content_filter', content_filter_results: violence }) +
        'data: [DONE]\n\n',
    });
    const parts: ChatStreamPart[] = [];
    for await (const part of provider(server.baseUrl)
      .languageModel('chat deployment')
      .stream(hello, context)) {
      parts.push(part);
    }
    expect(parts).toEqual([
      { type: 'text-delta', choiceIndex: 0, delta: 'Once upon' },
      { type: 'finish', choiceIndex: 0, finishReason: 'content_filter' },
    ]);
  });

  it("sends an organisation's key to its own resource when the call carries credentials", async () => {
    const other = await startFixtureServer();
    try {
      other.enqueue({
        kind: 'json',
        status: 200,
        body: { choices: [{ index: 0, message: { content: 'Hi' }, finish_reason: 'stop' }] },
      });
      await provider(server.baseUrl)
        .languageModel('chat deployment')
        .generate(hello, { ...context, credentials: { apiKey: 'org-key', baseUrl: other.baseUrl } });
      expect(other.requests[0]?.headers['api-key']).toBe('org-key');
      expect(other.requests[0]?.url).toBe(
        '/openai/deployments/chat%20deployment/chat/completions?api-version=2024-10-21',
      );
    } finally {
      await other.close();
    }
  });
});
