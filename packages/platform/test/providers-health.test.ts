import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * GET /v1/providers/health reports each deployment's recent error ratio over a stated window, with
 * the counts behind it, and the smoothed EWMA under its own name.
 */
interface HealthRow {
  deployment: string;
  requests: number;
  error_ratio: number | null;
  error_rate: number | null;
  error_rate_ewma: number | null;
  window_seconds: number;
  calls_in_window: number;
  failures_in_window: number;
}

let testApp: TestApp;
let secret: string;

beforeAll(async () => {
  testApp = await startTestApp({
    config: {
      providers: { sim: { models: { broken: { failure_rate: 1 } } } },
      routing: { defaults: { retry: { max_attempts: 1 } } },
    },
  });
  secret = (await createTenant(testApp)).secret;
});

afterAll(async () => {
  await testApp?.close();
});

async function chat(model: string, content: string) {
  return testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model, messages: [{ role: 'user', content }] },
  });
}

async function health(deployment: string): Promise<HealthRow | undefined> {
  const response = await testApp.app.inject({
    method: 'GET',
    url: '/v1/providers/health',
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(response.statusCode).toBe(200);
  return response
    .json<{ deployments: HealthRow[] }>()
    .deployments.find((row) => row.deployment === deployment);
}

describe('GET /v1/providers/health', () => {
  it('reports error_ratio 1 for a deployment whose every call failed, and the EWMA apart', async () => {
    expect((await chat('sim/broken', 'first')).statusCode).toBe(502);
    const afterOne = await health('sim/broken');
    expect(afterOne).toMatchObject({
      error_ratio: 1,
      error_rate: 1,
      window_seconds: 60,
      calls_in_window: 1,
      failures_in_window: 1,
    });
    // The EWMA starts from 0: one failure moves it only a little. It is not the ratio.
    expect(afterOne?.error_rate_ewma).toBeGreaterThan(0);
    expect(afterOne?.error_rate_ewma).toBeLessThan(0.1);

    for (let index = 0; index < 4; index++)
      expect((await chat('sim/broken', `again ${index}`)).statusCode).toBe(502);
    expect(await health('sim/broken')).toMatchObject({
      error_ratio: 1,
      calls_in_window: 5,
      failures_in_window: 5,
    });
  });

  it('reports the share of failures among recent calls, and null without calls', async () => {
    for (let index = 0; index < 3; index++)
      expect((await chat('sim/fast', `fine ${index}`)).statusCode).toBe(200);
    expect(await health('sim/fast')).toMatchObject({
      error_ratio: 0,
      error_rate: 0,
      error_rate_ewma: 0,
      calls_in_window: 3,
      failures_in_window: 0,
    });
    expect(await health('sim/mini')).toMatchObject({
      error_ratio: null,
      error_rate: null,
      error_rate_ewma: null,
      window_seconds: 60,
      calls_in_window: 0,
      failures_in_window: 0,
    });
  });
});
