import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, collect, webSocketClient } from './support/graphql-test-support.ts';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * GraphQL subscriptions when scaled out: two instances on one PostgreSQL and one Redis. A
 * subscriber on the first sees usage metered by the second and the events of a run the second's
 * worker executes — the events port (Redis pub/sub) carries the notices, the store the data.
 */
const services = (await postgresAvailable()) && (await redisAvailable());

describe.runIf(services)('GraphQL subscriptions across instances (PostgreSQL + Redis)', () => {
  let database: TemporaryDatabase;
  let subscriberSide: TestApp;
  let workerSide: TestApp;
  let tenant: { organizationId: string; keyId: string; secret: string };

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    const shared = {
      databaseUrl: database.url,
      redisUrl: testRedisUrl,
      redisPrefix: uniqueRedisPrefix('graphql'),
    };
    subscriberSide = await startTestApp({ ...shared, listen: true, swarms: { runWorker: false } });
    workerSide = await startTestApp({ ...shared, listen: true });
    tenant = await createTenant(subscriberSide, { name: 'scaled out', role: 'developer' });
  });

  afterAll(async () => {
    await subscriberSide?.close();
    await workerSide?.close();
    await database?.drop();
  });

  it('announces usage metered by another instance', async () => {
    const client = webSocketClient(subscriberSide.baseUrl, {
      connectionParams: { authorization: tenant.secret },
    });
    const usage = collect<{ data: { usage: { totals: { requests: number } } } }>(client, {
      query: 'subscription { usage(groupBy: model) { totals { requests } } }',
    });
    await expect.poll(() => usage.items.length, { timeout: 10_000 }).toBe(1);
    const before = usage.items[0]!.data.usage.totals.requests;
    const chat = await workerSide.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${tenant.secret}` },
      payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'Hello.' }], max_tokens: 8 },
    });
    expect(chat.statusCode, chat.body).toBe(200);
    await expect
      .poll(() => usage.items.at(-1)?.data.usage.totals.requests, { timeout: 10_000 })
      .toBe(before + 1);
    usage.stop();
    await client.dispose();
  });

  it("streams a run that another instance's worker executes, to its end", async () => {
    const created = await ask<{ createSwarm: { id: string } }>(
      workerSide.baseUrl,
      tenant.secret,
      'mutation { createSwarm(input: { task: "Two lines on tides", model: "sim/fast", agents: [{ role: "writer" }] }) { id } }',
    );
    expect(created.errors).toEqual([]);
    const runId = created.data!.createSwarm.id;
    const client = webSocketClient(subscriberSide.baseUrl, { header: `Bearer ${tenant.secret}` });
    const events = collect<{ data: { swarmEvents: { sequence: number; type: string } } }>(client, {
      query: 'subscription($id: ID!) { swarmEvents(swarmId: $id) { sequence type } }',
      variables: { id: runId },
    });
    expect((await events.done).error).toBeUndefined();
    await client.dispose();
    const received = events.items.map((item) => item.data.swarmEvents);
    expect(received[0]?.type).toBe('run-start');
    expect(received.at(-1)?.type).toBe('run-end');
    expect(received.map((event) => event.sequence)).toEqual(received.map((_event, index) => index + 1));
  });
});
