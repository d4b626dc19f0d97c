import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/** Bad input of every kind is a 4xx in the OpenAI error shape naming the field; never a 500. */
let testApp: TestApp;
let secret: string;

beforeAll(async () => {
  testApp = await startTestApp({ config: { server: { body_limit_bytes: 4096 } } });
  secret = (await createTenant(testApp)).secret;
});

afterAll(async () => {
  await testApp?.close();
});

function post(payload: string | object, headers: Record<string, string> = {}) {
  return testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('bad input', () => {
  it('malformed JSON → 400 INVALID_JSON', async () => {
    const response = await post('{"model": "sim/fast", "messages": [');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'INVALID_JSON', type: 'invalid_request_error' });
    expect(response.json().error.hint).toBeTruthy();
  });

  it('an empty body → 400', async () => {
    const response = await post('');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_JSON');
  });

  it('a JSON array instead of an object → 400', async () => {
    const response = await post('[1, 2]');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_REQUEST');
  });

  it('an unknown top-level argument → 400 naming it', async () => {
    const response = await post({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'x' }],
      temprature: 1,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'INVALID_REQUEST', param: 'temprature' });
  });

  it('out-of-range values and nested mistakes name the exact path', async () => {
    const cases: Array<[object, string]> = [
      [{ model: 'sim/fast', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
      [{ model: 'sim/fast', messages: [] }, 'messages'],
      [{ model: 'sim/fast', messages: [{ role: 'user' }] }, 'messages[0].content'],
      [{ model: 'sim/fast', messages: [{ role: 'user', content: 'x' }], n: 0 }, 'n'],
      [
        {
          model: 'sim/fast',
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ type: 'function', function: { name: 'bad name!' } }],
        },
        'tools[0].function.name',
      ],
      [
        { model: 'sim/fast', messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' },
        'tool_choice',
      ],
      [
        {
          model: 'sim/fast',
          messages: [{ role: 'user', content: 'x' }],
          stream_options: { include_usage: true },
        },
        'stream_options',
      ],
      [{ model: 42, messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ];
    for (const [payload, param] of cases) {
      const response = await post(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.param, JSON.stringify(payload)).toBe(param);
    }
  });

  it('a body over the limit → 413', async () => {
    const response = await post({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'x'.repeat(10_000) }],
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an unsupported content type → 415', async () => {
    const response = await post('model=sim/fast', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(415);
  });

  it('an unknown route → 404 in the error shape', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('using a chat model for embeddings → 400 naming the model', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/embeddings',
      headers: { authorization: `Bearer ${secret}` },
      payload: { model: 'sim/fast', input: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'MODEL_CAPABILITY_MISSING', param: 'model' });
  });
});

describe('keys', () => {
  it('no key → 401 API_KEY_MISSING; a malformed header → 401', async () => {
    const none = await testApp.app.inject({ method: 'GET', url: '/v1/models' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('API_KEY_MISSING');
    const basic = await testApp.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.statusCode).toBe(401);
  });

  it('accepts the key in x-api-key too', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { 'x-api-key': secret },
    });
    expect(response.statusCode).toBe(200);
  });

  it('an expired key → 401 API_KEY_EXPIRED', async () => {
    const soon = new Date(Date.now() + 300).toISOString();
    const tenant = await createTenant(testApp, { expiresAt: soon });
    const before = await testApp.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(before.statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const after = await testApp.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('API_KEY_EXPIRED');
  });

  it('a revoked key is refused at once, and the error never echoes the secret', async () => {
    const tenant = await createTenant(testApp);
    const headers = { authorization: `Bearer ${tenant.secret}` };
    expect((await testApp.app.inject({ method: 'GET', url: '/v1/models', headers })).statusCode).toBe(200);
    const revoke = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/admin/organizations/${tenant.organizationId}/keys/${tenant.keyId}`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().revoked_at).toBeTruthy();
    const refused = await testApp.app.inject({ method: 'GET', url: '/v1/models', headers });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('API_KEY_REVOKED');
    expect(refused.body).not.toContain(tenant.secret);
  });
});
