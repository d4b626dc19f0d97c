import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/support/index.ts';
import { chatRequest } from './support/cache-test-support.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Replays a Zipf-distributed prompt workload (a few prompts very often, a long tail rarely, as in
 * real traffic) and reports the hit ratio and the cost the cache saved. With no eviction and a long
 * TTL, every distinct prompt misses exactly once: the expected hit ratio is 1 − distinct / requests.
 */
const distinctPrompts = 200;
const requests = 1000;
const zipfExponent = 1.1;
const concurrency = 8;

/** Samples ranks 0..size-1 with P(rank) ∝ 1 / (rank + 1)^exponent, by inverting the cumulative weights. */
function zipfSampler(size: number, exponent: number, random: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 0; rank < size; rank += 1) {
    total += 1 / (rank + 1) ** exponent;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };

beforeAll(async () => {
  testApp = await startTestApp({ config: { cache: { enabled: true, ttl_seconds: 3600 } } });
  tenant = await createTenant(testApp, { name: 'replay' });
});

afterAll(async () => {
  await testApp?.close();
});

describe('Zipf replay', () => {
  it('reports hit ratio and saved cost on a Zipf-distributed workload', { timeout: 120_000 }, async () => {
    const sample = zipfSampler(distinctPrompts, zipfExponent, seededRandom(20261124));
    const workload = Array.from({ length: requests }, () => sample());
    const statuses: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < workload.length) {
          const rank = workload[next++]!;
          const response = await chatRequest(testApp.app, tenant.secret, {
            model: 'sim/smart',
            temperature: 0,
            messages: [{ role: 'user', content: `Question number ${rank}: explain topic ${rank} briefly.` }],
          });
          expect(response.statusCode).toBe(200);
          statuses.push(String(response.headers['x-kimi-cache']));
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const distinct = new Set(workload).size;
    const hits = statuses.filter((status) => status.startsWith('hit-')).length;
    const misses = statuses.filter((status) => status === 'miss').length;
    expect(hits + misses).toBe(requests);
    expect(misses).toBe(distinct);

    const stats = await testApp.app.inject({
      method: 'GET',
      url: '/v1/cache/stats',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    const usage = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    const saved = Number(stats.json().saved_usd);
    const spent = Number(usage.json().totals.cost_usd);
    expect(stats.json().requests.miss).toBe(distinct);
    expect(stats.json().hit_ratio).toBeCloseTo(hits / requests, 10);
    expect(saved).toBeGreaterThan(spent);
    console.info(
      [
        `Zipf replay: ${requests} requests over ${distinctPrompts} prompts (s=${zipfExponent}), ${distinct} distinct seen`,
        `  hit ratio ${(hits / requests).toFixed(3)} (${hits} hits: ${statuses.filter((s) => s === 'hit-l1').length} L1), ${misses} misses`,
        `  cost paid $${spent.toFixed(6)}, saved $${saved.toFixed(6)} (${((100 * saved) / (saved + spent)).toFixed(1)}% of the uncached cost)`,
        `  ${elapsedMs.toFixed(0)} ms wall time at concurrency ${concurrency}`,
      ].join('\n'),
    );
  });
});
