import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from './support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from './support/services.ts';
import { createTenant, startTestApp, type TestApp, type TestAppOptions } from './support/test-app.ts';

/**
 * `[[sim:…]]` fault directives are a testing tool: ignored unless the operator enables
 * `providers.sim.fault_directives`, and even then a fault one organisation provokes on a shared
 * deployment (a 429 with Retry-After, a run of 503s) changes nobody else's service.
 */
const redis = await redisAvailable();

const isolationConfig = {
  providers: { sim: { fault_directives: true } },
  routing: {
    defaults: {
      retry: { max_attempts: 1 },
      breaker: {
        window_ms: 10_000,
        minimum_requests: 3,
        failure_ratio: 0.5,
        cooldown_ms: 60_000,
        half_open_probes: 1,
      },
    },
  },
};

async function chat(testApp: TestApp, secret: string, content: string) {
  return testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model: 'sim/smart', messages: [{ role: 'user', content }] },
  });
}

async function smartBreaker(testApp: TestApp, secret: string) {
  const health = await testApp.app.inject({
    method: 'GET',
    url: '/v1/providers/health',
    headers: { authorization: `Bearer ${secret}` },
  });
  const deployments = health.json<{ deployments: Array<{ deployment: string; breaker: unknown }> }>()
    .deployments;
  return deployments.find((entry) => entry.deployment === 'sim/smart')?.breaker;
}

describe('fault directives by default', () => {
  let testApp: TestApp;
  let secret: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    secret = (await createTenant(testApp, { name: 'prankster' })).secret;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('are ignored: the directive text is answered as prompt text', async () => {
    const response = await chat(testApp, secret, 'hi [[sim:error=429]] [[sim:retry_after_ms=20000]]');
    expect(response.statusCode).toBe(200);
    expect(response.json().choices[0].message.content).toContain('[[sim:error=429]]');
    for (let index = 0; index < 5; index++) {
      expect((await chat(testApp, secret, `again ${index} [[sim:error=503]]`)).statusCode).toBe(200);
    }
    expect((await chat(testApp, secret, 'no such [[sim:explode]]')).statusCode).toBe(200);
    expect(await smartBreaker(testApp, secret)).toMatchObject({ state: 'closed', failures_in_window: 0 });
  });
});

function isolationSuite(label: string, options: () => TestAppOptions) {
  describe(`fault directives when enabled (${label})`, () => {
    let testApp: TestApp;
    let bystander: string;

    beforeAll(async () => {
      testApp = await startTestApp({ ...options(), config: isolationConfig });
      bystander = (await createTenant(testApp, { name: 'bystander' })).secret;
    });

    afterAll(async () => {
      await testApp?.close();
    });

    it("keep one organisation's provoked 429 and Retry-After pause to that organisation", async () => {
      const provoker = (await createTenant(testApp, { name: 'rate-limit provoker' })).secret;
      const provoked = await chat(testApp, provoker, 'hi [[sim:error=429]] [[sim:retry_after_ms=20000]]');
      expect(provoked.statusCode).toBe(429);
      expect(provoked.json().error.code).toBe('PROVIDER_RATE_LIMITED');

      const other = await chat(testApp, bystander, 'an unrelated question');
      expect(other.statusCode).toBe(200);

      // The provoker itself honours the pause it asked for.
      const paused = await chat(testApp, provoker, 'a plain question');
      expect(paused.statusCode).toBe(429);
      expect(Number(paused.headers['retry-after'])).toBeGreaterThan(10);
      expect((await chat(testApp, bystander, 'another unrelated question')).statusCode).toBe(200);
    });

    it("keep the circuit breaker that one organisation's 503s open to that organisation", async () => {
      const provoker = (await createTenant(testApp, { name: 'outage provoker' })).secret;
      for (let index = 0; index < 6; index++) {
        const failed = await chat(testApp, provoker, `fail ${index} [[sim:error=503]]`);
        expect(failed.statusCode).toBeGreaterThanOrEqual(500);
      }
      const cutOff = await chat(testApp, provoker, 'a plain question');
      expect(cutOff.statusCode).toBe(502);
      expect(cutOff.json().error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(cutOff.json().error.message).toContain('circuit open for this organisation');

      for (let index = 0; index < 3; index++) {
        expect((await chat(testApp, bystander, `unaffected ${index}`)).statusCode).toBe(200);
      }
      expect(await smartBreaker(testApp, bystander)).toMatchObject({
        state: 'closed',
        failures_in_window: 0,
      });
    });
  });
}

isolationSuite('in-process store', () => ({}));

describe.runIf(redis)('on Redis', () => {
  const prefix = uniqueRedisPrefix('sim-faults');
  afterAll(async () => {
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });
  isolationSuite('Redis', () => ({ redisUrl: testRedisUrl, redisPrefix: prefix }));
});
