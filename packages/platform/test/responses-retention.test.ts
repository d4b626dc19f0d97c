import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/support/index.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/** `responses.retention_days`: an expired response reads like a missing one, and the sweep deletes it. */
const clock = createManualClock(Date.now());
const dayMs = 86_400_000;
let testApp: TestApp;
let secret: string;

beforeAll(async () => {
  testApp = await startTestApp({ clock, config: { responses: { retention_days: 2 } } });
  secret = (await createTenant(testApp, { name: 'retention' })).secret;
});

afterAll(async () => {
  await testApp?.close();
});

const send = (method: 'GET' | 'POST', url: string, payload?: object) =>
  testApp.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${secret}` },
    ...(payload ? { payload } : {}),
  });

describe('retention of stored responses', () => {
  it('keeps a response readable for retention_days, then never again', async () => {
    const created = await send('POST', '/v1/responses', { model: 'sim/fast', input: 'Keep me two days.' });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json<{ id: string }>().id;
    clock.advance(2 * dayMs - 60_000);
    expect((await send('GET', `/v1/responses/${id}`)).statusCode).toBe(200);
    expect(
      (await send('POST', '/v1/responses', { model: 'sim/fast', input: 'Still?', previous_response_id: id }))
        .statusCode,
    ).toBe(200);

    clock.advance(120_000);
    expect((await send('GET', `/v1/responses/${id}`)).statusCode).toBe(404);
    expect((await send('GET', `/v1/responses/${id}/input_items`)).statusCode).toBe(404);
    const continued = await send('POST', '/v1/responses', {
      model: 'sim/fast',
      input: 'Too late?',
      previous_response_id: id,
    });
    expect(continued.statusCode).toBe(404);
    expect(continued.json().error.param).toBe('previous_response_id');

    expect(await testApp.platform.responses.sweepExpired()).toBeGreaterThanOrEqual(1);
    const rows = await testApp.database.query('SELECT id FROM responses WHERE id = $1', [id]);
    expect(rows.rows).toEqual([]);
  });
});
