import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

/**
 * WebSocket mode on `/v1/responses` (as Codex and the OpenAI Agents SDK use it), with the `ws`
 * client: `response.create` messages, the same semantic events as SSE one message each, several
 * responses over one socket, and bad messages answered with an `error` event on a socket that
 * stays open. The key is checked at the upgrade, with the route's scope.
 */

interface Message {
  type: string;
  sequence_number?: number;
  status?: number;
  error?: { code: string; param: string | null; message: string };
  response?: { id: string; status: string; output_text: string };
}

/** A socket whose messages are read in order, each awaited. */
class Conversation {
  readonly #queue: Message[] = [];
  #waiting: ((message: Message) => void) | null = null;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString()) as Message;
      if (this.#waiting) {
        const resolve = this.#waiting;
        this.#waiting = null;
        resolve(message);
      } else this.#queue.push(message);
    });
  }

  next(): Promise<Message> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
      this.#waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  /** Messages until a response's final event (or an `error` event outside a response). */
  async untilDone(): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
      const message = await this.next();
      messages.push(message);
      if (['response.completed', 'response.incomplete', 'response.failed'].includes(message.type))
        return messages;
      if (message.type === 'error' && message.sequence_number === undefined) return messages;
    }
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
}

function open(url: string, secret: string): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${secret}` } });
    const conversation = new Conversation(socket);
    socket.once('open', () => resolve(conversation));
    socket.once('unexpected-response', (request, response) => {
      // why destroy: ws leaves a refused upgrade's connection open, which would hold the server's close.
      request.destroy();
      reject(
        Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode }),
      );
    });
    socket.once('error', reject);
  });
}

describe.each(backends)('Responses API WebSocket mode (%s)', (backend) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let secret: string;
  let url: string;
  let client: OpenAI;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    temporary = backend === 'postgres' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({ listen: true, ...(temporary ? { databaseUrl: temporary.url } : {}) });
    const tenant = await createTenant(testApp, { name: 'websocket tenant' });
    secret = tenant.secret;
    url = `${testApp.baseUrl.replace('http', 'ws')}/v1/responses`;
    client = new OpenAI({ apiKey: secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await testApp?.close();
    await temporary?.drop();
  });

  it('runs two responses over one socket, with the events SSE sends, in the same order', async () => {
    const conversation = await open(url, secret);
    sockets.push(conversation.socket);
    const input = 'Explain WebSockets in one paragraph.';
    conversation.send({ type: 'response.create', model: 'sim/fast', input });
    const first = await conversation.untilDone();
    conversation.send({ type: 'response.create', model: 'sim/fast', input: 'And now in two sentences.' });
    const second = await conversation.untilDone();

    const sse: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: 'sim/fast', input, stream: true })) {
      sse.push(event);
    }
    expect(first.map((message) => message.type)).toEqual(sse.map((event) => event.type));
    expect(first.map((message) => message.sequence_number)).toEqual(first.map((_message, index) => index));
    const completed = first.at(-1)!.response!;
    expect(completed.status).toBe('completed');
    expect(completed.output_text).toBe(
      (sse.at(-1) as OpenAI.Responses.ResponseCompletedEvent).response.output_text,
    );
    expect(second.at(-1)?.type).toBe('response.completed');
    expect(second.at(-1)?.response?.id).not.toBe(completed.id);
    // Each response is stored like one created over HTTP.
    expect((await client.responses.retrieve(completed.id)).status).toBe('completed');
  });

  it('answers an invalid message with an error event naming the field, and stays open', async () => {
    const conversation = await open(url, secret);
    sockets.push(conversation.socket);
    conversation.send({ type: 'response.create', model: 'sim/fast', input: 'Hi.', temperature: 7 });
    const [invalid] = await conversation.untilDone();
    expect(invalid).toMatchObject({ type: 'error', status: 400, error: { param: 'temperature' } });

    conversation.send('not json');
    expect(await conversation.next()).toMatchObject({ type: 'error', status: 400 });

    conversation.send({ type: 'response.cancel' });
    expect(await conversation.next()).toMatchObject({ type: 'error', error: { param: 'type' } });

    conversation.send({ type: 'response.create', model: 'sim/fast', input: 'Hi.', background: true });
    expect(await conversation.next()).toMatchObject({ type: 'error', error: { param: 'background' } });

    conversation.send({ type: 'response.create', model: 'sim/nowhere', input: 'Hi.' });
    expect(await conversation.next()).toMatchObject({ type: 'error', status: 404 });

    expect(conversation.socket.readyState).toBe(WebSocket.OPEN);
    conversation.send({ type: 'response.create', model: 'sim/fast', input: 'Still here?' });
    const after = await conversation.untilDone();
    expect(after.at(-1)?.type).toBe('response.completed');
  });

  it('admits each response on its own: a key limited to one request a minute gets a 429 event for the second', async () => {
    const tenant = await createTenant(testApp, { name: 'limited websocket tenant' });
    const limited = await testApp.app.inject({
      method: 'PUT',
      url: `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}/rate-limits`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { requests_per_minute: 1 },
    });
    expect(limited.statusCode, limited.body).toBe(200);
    const conversation = await open(url, tenant.secret);
    sockets.push(conversation.socket);
    conversation.send({ type: 'response.create', model: 'sim/fast', input: 'One.' });
    expect((await conversation.untilDone()).at(-1)?.type).toBe('response.completed');
    conversation.send({ type: 'response.create', model: 'sim/fast', input: 'Two.' });
    const [refused] = await conversation.untilDone();
    expect(refused).toMatchObject({ type: 'error', status: 429 });
    expect(conversation.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses the upgrade without a key, or with a key lacking models:invoke', async () => {
    await expect(open(url, 'sk-kimi-not-a-key')).rejects.toMatchObject({ status: 401 });
    const created = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${testApp.organizationId}/keys`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { name: 'reader', role: 'member', scopes: ['models:read'] },
    });
    expect(created.statusCode).toBe(201);
    const reader = created.json<{ secret: string }>().secret;
    await expect(open(url, reader)).rejects.toMatchObject({ status: 403 });
  });

  it('answers a plain GET /v1/responses with 426', async () => {
    const response = await fetch(`${testApp.baseUrl}/v1/responses`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(response.status).toBe(426);
  });
});
