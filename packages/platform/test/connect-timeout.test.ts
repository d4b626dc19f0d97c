import { createServer, type Server, type Socket } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * A provider that accepts TCP but never completes TLS (on loopback): the connect timeout of its
 * HTTP agent fires, the call fails as a retryable PROVIDER_TIMEOUT, and a group falls back.
 */
let silent: Server;
const sockets = new Set<Socket>();
let testApp: TestApp;
let client: OpenAI;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  testApp = await startTestApp({
    listen: true,
    config: {
      providers: {
        openai_compatible: [
          {
            name: 'silent',
            base_url: `https://127.0.0.1:${port}/v1`,
            connect_timeout_ms: 300,
            models: [{ id: 'model', context_window: 8192 }],
          },
        ],
      },
      routing: {
        defaults: { retry: { max_attempts: 1 } },
        groups: { guarded: { deployments: [{ model: 'silent/model' }], fallbacks: ['sim/fast'] } },
      },
    },
  });
  client = new OpenAI({
    apiKey: (await createTenant(testApp)).secret,
    baseURL: `${testApp.baseUrl}/v1`,
    maxRetries: 0,
  });
});

afterAll(async () => {
  await testApp?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

describe('connect timeout', () => {
  it('fails a call to an upstream that never finishes connecting with PROVIDER_TIMEOUT', async () => {
    const error = await client.chat.completions
      .create({ model: 'silent/model', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 504, code: 'PROVIDER_TIMEOUT' });
  }, 20_000);

  it('falls back with reason timeout', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'guarded', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(response.headers.get('x-kimi-route')).toBe('sim/fast');
    expect(response.headers.get('x-kimi-fallback-reason')).toBe('timeout');
  }, 20_000);
});
