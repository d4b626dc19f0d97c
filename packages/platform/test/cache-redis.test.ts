import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/db/index.ts';
import { openDatabase } from '../src/storage/db/index.ts';
import { createKeyValueStore, type KeyValueStore } from '../src/storage/kv/index.ts';
import { cacheUsageRow, chatRequest, metricValue } from './support/cache-test-support.ts';
import { deleteRedisKeysWithPrefix, startRedisOutageProxy } from './support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The L2 cache on real Redis: replicas share answers and one provider call per burst, and an
 * unreachable Redis degrades to L1 and the provider without failing a request.
 */
const redis = await redisAvailable();

const config = {
  cache: { enabled: true, l2_retry_after_ms: 200 },
  providers: { sim: { models: { burst: { latency_ms: 150 } } } },
};

let counter = 0;
const fresh = (text: string) => `${text} (redis #${++counter} ${Date.now()})`;

describe.runIf(redis)('L2 cache shared by replicas', () => {
  const prefix = uniqueRedisPrefix('cache');
  let database: Database;
  let first: TestApp;
  let second: TestApp;
  let tenant: { organizationId: string; keyId: string; secret: string };

  beforeAll(async () => {
    database = await openDatabase({ dataDirectory: 'memory://' });
    first = await startTestApp({ database, config, redisUrl: testRedisUrl, redisPrefix: prefix });
    second = await startTestApp({ database, config, redisUrl: testRedisUrl, redisPrefix: prefix });
    tenant = await createTenant(first, { name: 'replicated', role: 'admin' });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.close();
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });

  it('answers on one replica what another stored, and fills its L1', async () => {
    const payload = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('Replicate me') }] };
    const stored = await chatRequest(first.app, tenant.secret, payload);
    expect(stored.headers['x-kimi-cache']).toBe('miss');
    const shared = await chatRequest(second.app, tenant.secret, payload);
    expect(shared.headers['x-kimi-cache']).toBe('hit-l2');
    expect(shared.json().choices).toEqual(stored.json().choices);
    const row = await cacheUsageRow(database, shared.headers['x-request-id'] as string);
    expect(row).toMatchObject({ cache_status: 'hit-l2', cost_usd: '0.000000000000' });
    expect((await chatRequest(second.app, tenant.secret, payload)).headers['x-kimi-cache']).toBe('hit-l1');
  });

  it('makes one provider call for a burst spread over two replicas', async () => {
    const payload = { model: 'sim/burst', messages: [{ role: 'user', content: fresh('Thundering herd') }] };
    const calls = async () =>
      (await metricValue(first.app, 'kimi_provider_calls_total', { deployment: 'sim/burst' })) +
      (await metricValue(second.app, 'kimi_provider_calls_total', { deployment: 'sim/burst' }));
    const before = await calls();
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        chatRequest((index % 2 ? second : first).app, tenant.secret, payload),
      ),
    );
    expect(await calls()).toBe(before + 1);
    for (const response of responses) expect(response.statusCode).toBe(200);
    expect(new Set(responses.map((response) => response.json().choices[0].message.content)).size).toBe(1);
    const statuses = responses.map((response) => response.headers['x-kimi-cache']);
    expect(statuses.filter((status) => status === 'miss')).toHaveLength(1);
    expect(
      (await metricValue(first.app, 'kimi_cache_coalesced_total')) +
        (await metricValue(second.app, 'kimi_cache_coalesced_total')),
    ).toBeGreaterThan(0);
  });

  it('purges an organisation on every replica and in L2', async () => {
    const payload = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('Purge me') }] };
    await chatRequest(first.app, tenant.secret, payload);
    expect((await chatRequest(second.app, tenant.secret, payload)).headers['x-kimi-cache']).toBe('hit-l2');
    const purge = await first.app.inject({
      method: 'DELETE',
      url: '/v1/cache',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(purge.json()).toMatchObject({ l2: 'purged' });
    // The purge event reaches the other replica's L1 through Redis pub/sub.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await chatRequest(second.app, tenant.secret, payload)).headers['x-kimi-cache']).toBe('miss');
  });
});

describe.runIf(redis)('when Redis is unreachable', () => {
  const prefix = uniqueRedisPrefix('cache-outage');
  let database: Database;
  let proxy: Awaited<ReturnType<typeof startRedisOutageProxy>>;
  let degraded: TestApp;
  let tenant: { organizationId: string; keyId: string; secret: string };

  beforeAll(async () => {
    database = await openDatabase({ dataDirectory: 'memory://' });
    proxy = await startRedisOutageProxy(testRedisUrl);
    // Only the kv store (the cache's L2) goes through the proxy; events and queue stay in process.
    keyValueStore = createKeyValueStore({ redisUrl: proxy.url, keyPrefix: prefix });
    degraded = await startTestApp({ database, config, keyValueStore });
    tenant = await createTenant(degraded, { name: 'outage' });
  });

  let proxyDown = false;
  let keyValueStore: KeyValueStore;

  afterAll(async () => {
    if (proxyDown) await proxy.start();
    await degraded?.close();
    await keyValueStore?.close();
    await proxy?.stop();
    await database?.close();
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });

  it('serves from L1 and the provider, counts the failures, and recovers on its own', async () => {
    const known = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('Before the outage') }] };
    expect((await chatRequest(degraded.app, tenant.secret, known)).headers['x-kimi-cache']).toBe('miss');

    await proxy.stop();
    proxyDown = true;
    const cached = await chatRequest(degraded.app, tenant.secret, known);
    expect(cached.statusCode).toBe(200);
    expect(cached.headers['x-kimi-cache']).toBe('hit-l1');
    const started = performance.now();
    const during = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('During the outage') }] };
    const uncached = await chatRequest(degraded.app, tenant.secret, during);
    expect(uncached.statusCode).toBe(200);
    expect(uncached.headers['x-kimi-cache']).toBe('miss');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(await metricValue(degraded.app, 'kimi_cache_failures_total', { layer: 'l2' })).toBeGreaterThan(0);
    expect((await chatRequest(degraded.app, tenant.secret, during)).headers['x-kimi-cache']).toBe('hit-l1');

    await proxy.start();
    proxyDown = false;
    // A replica on Redis directly reads what the degraded one stores once it has recovered.
    const reader = await startTestApp({ database, config, redisUrl: testRedisUrl, redisPrefix: prefix });
    const deadline = performance.now() + 5000;
    let stored = false;
    try {
      while (!stored && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const probe = { model: 'sim/fast', messages: [{ role: 'user', content: fresh('After the outage') }] };
        expect((await chatRequest(degraded.app, tenant.secret, probe)).statusCode).toBe(200);
        stored = (await chatRequest(reader.app, tenant.secret, probe)).headers['x-kimi-cache'] === 'hit-l2';
      }
    } finally {
      await reader.close();
    }
    expect(stored).toBe(true);
  });
});
