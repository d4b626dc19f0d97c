import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ask, collect, webSocketClient } from './support/graphql-test-support.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * GraphQL subscriptions over WebSocket with graphql-ws's own client: a swarm run's events until
 * it completes, usage as it is metered, and the same authentication and tenancy as REST.
 */
let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };
let other: { organizationId: string; keyId: string; secret: string };

interface SwarmEventItem {
  data?: { swarmEvents: { runId: string; sequence: number; type: string; createdAt: string } };
  errors?: Array<{ message: string; extensions: { code: string } }>;
}

const swarmEvents = `subscription Events($id: ID!, $after: Int) {
  swarmEvents(swarmId: $id, after: $after) { runId sequence type data createdAt }
}`;

async function startSwarm(secret: string): Promise<string> {
  const answer = await ask<{ createSwarm: { id: string; status: string } }>(
    testApp.baseUrl,
    secret,
    'mutation { createSwarm(input: { task: "Write two lines on wind power", model: "sim/fast", agents: [{ role: "writer", instructions: "Write it." }] }) { id status } }',
  );
  expect(answer.errors).toEqual([]);
  return answer.data!.createSwarm.id;
}

beforeAll(async () => {
  testApp = await startTestApp({ listen: true });
  tenant = await createTenant(testApp, { name: 'subscriber', role: 'developer' });
  other = await createTenant(testApp, { name: 'other', role: 'admin' });
});

afterAll(async () => {
  await testApp?.close();
});

describe('GraphQL subscriptions over graphql-ws', () => {
  it('streams a run started by a mutation until it completes, in order and without gaps', async () => {
    const runId = await startSwarm(tenant.secret);
    const client = webSocketClient(testApp.baseUrl, { header: `Bearer ${tenant.secret}` });
    const subscription = collect<SwarmEventItem>(client, { query: swarmEvents, variables: { id: runId } });
    const ended = await subscription.done;
    await client.dispose();
    expect(ended.error).toBeUndefined();
    const events = subscription.items.map((item) => item.data!.swarmEvents);
    expect(subscription.items.every((item) => item.errors === undefined)).toBe(true);
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');
    expect(events.map((event) => event.sequence)).toEqual(events.map((_event, index) => index + 1));
    expect(new Set(events.map((event) => event.runId))).toEqual(new Set([runId]));
    const run = await ask<{
      swarm: { status: string; agents: Array<{ role: string; status: string }>; result: unknown };
    }>(
      testApp.baseUrl,
      tenant.secret,
      `{ swarm(id: "${runId}") { status result agents { role status steps { kind status } } runSteps { kind } } }`,
    );
    expect(run.data?.swarm.status).toBe('completed');
    const stored = await ask<{ swarm: { events: Array<{ sequence: number; type: string }> } }>(
      testApp.baseUrl,
      tenant.secret,
      `{ swarm(id: "${runId}") { events(after: 1, limit: 1000) { sequence type } } }`,
    );
    expect(stored.data?.swarm.events).toEqual(
      events.slice(1).map((event) => ({ sequence: event.sequence, type: event.type })),
    );
    expect(run.data?.swarm.agents).toEqual([
      expect.objectContaining({ role: 'writer', status: 'completed' }),
    ]);
  });

  it('authenticates with connectionParams when the upgrade carries no key, and resumes after a sequence', async () => {
    const runId = await startSwarm(tenant.secret);
    const header = webSocketClient(testApp.baseUrl, { header: `Bearer ${tenant.secret}` });
    const all = collect<SwarmEventItem>(header, { query: swarmEvents, variables: { id: runId } });
    await all.done;
    await header.dispose();
    const client = webSocketClient(testApp.baseUrl, { connectionParams: { authorization: tenant.secret } });
    const viewer = collect<{ data: { viewer: { organizationId: string } } }>(client, {
      query: '{ viewer { organizationId } }',
    });
    await viewer.done;
    expect(viewer.items[0]?.data.viewer.organizationId).toBe(tenant.organizationId);
    const resumed = collect<SwarmEventItem>(client, {
      query: swarmEvents,
      variables: { id: runId, after: 2 },
    });
    await resumed.done;
    await client.dispose();
    const sequences = resumed.items.map((item) => item.data!.swarmEvents.sequence);
    expect(sequences).toEqual(all.items.slice(2).map((item) => item.data!.swarmEvents.sequence));
    expect(sequences[0]).toBe(3);
  });

  it("refuses another organisation's run as NOT_FOUND, and a key without swarms:read", async () => {
    const runId = await startSwarm(tenant.secret);
    const client = webSocketClient(testApp.baseUrl, { header: `Bearer ${other.secret}` });
    const stolen = collect<SwarmEventItem>(client, { query: swarmEvents, variables: { id: runId } });
    await stolen.done;
    await client.dispose();
    // A refused subscription is one result with the error and no data, then completion.
    expect(stolen.items).toHaveLength(1);
    expect(stolen.items[0]?.data ?? null).toBeNull();
    expect(stolen.items[0]?.errors?.map((error) => error.extensions.code)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(stolen.items)).not.toContain('run-start');
    const scoped = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${tenant.organizationId}/keys`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { name: 'usage only', role: 'developer', scopes: ['usage:read'] },
    });
    const usageOnly = webSocketClient(testApp.baseUrl, { header: `Bearer ${scoped.json().secret}` });
    const denied = collect<SwarmEventItem>(usageOnly, { query: swarmEvents, variables: { id: runId } });
    await denied.done;
    await usageOnly.dispose();
    const refused = denied.items[0]?.errors ?? [];
    expect(refused.map((error) => error.extensions.code)).toEqual(['PERMISSION_DENIED']);
    expect(JSON.stringify(refused)).toContain('swarms:read');
  });

  it('refuses a bad key with the REST code: on the upgrade (401) and in connectionParams (close 4401)', async () => {
    const url = `${testApp.baseUrl.replace('http', 'ws')}/graphql`;
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws', {
        headers: { authorization: 'Bearer sk-kimi-not-a-real-key' },
      });
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => {});
    });
    expect(status).toBe(401);
    for (const [connectionParams, code] of [
      [{ authorization: 'sk-kimi-not-a-real-key' }, 'API_KEY_INVALID'],
      [{}, 'API_KEY_MISSING'],
    ] as const) {
      const client = webSocketClient(testApp.baseUrl, { connectionParams });
      const attempt = collect(client, { query: '{ viewer { role } }' });
      const closed = (await attempt.done).error as { code: number; reason: string };
      await client.dispose();
      expect(attempt.items).toEqual([]);
      expect({ code: closed.code, reason: closed.reason }).toEqual({ code: 4401, reason: code });
    }
  });

  it('sends the usage report, then a new one each time the organisation is metered', async () => {
    const client = webSocketClient(testApp.baseUrl, { header: `Bearer ${tenant.secret}` });
    const usage = collect<{
      data: { usage: { groupBy: string; totals: { requests: number }; data: Array<{ group: string }> } };
    }>(client, {
      query: 'subscription { usage(groupBy: key) { groupBy totals { requests } data { group requests } } }',
    });
    await expect.poll(() => usage.items.length, { timeout: 10_000 }).toBe(1);
    const before = usage.items[0]!.data.usage.totals.requests;
    const chat = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${tenant.secret}` },
      payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'Hello.' }], max_tokens: 8 },
    });
    expect(chat.statusCode).toBe(200);
    await expect
      .poll(() => usage.items.at(-1)?.data.usage.totals.requests, { timeout: 10_000 })
      .toBe(before + 1);
    // Another organisation's usage is not announced to this subscriber.
    const seen = usage.items.length;
    const otherChat = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${other.secret}` },
      payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'Hello.' }], max_tokens: 8 },
    });
    expect(otherChat.statusCode).toBe(200);
    const marker = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${tenant.secret}` },
      payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'Again.' }], max_tokens: 8 },
    });
    expect(marker.statusCode).toBe(200);
    await expect
      .poll(() => usage.items.at(-1)?.data.usage.totals.requests, { timeout: 10_000 })
      .toBe(before + 2);
    expect(usage.items.length).toBe(seen + 1);
    for (const item of usage.items) {
      expect(item.data.usage.data.map((row) => row.group)).not.toContain(other.keyId);
    }
    usage.stop();
    await client.dispose();
  });
});
