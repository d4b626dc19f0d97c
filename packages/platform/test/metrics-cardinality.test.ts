import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.ts';

/*
 * Label cardinality stays bounded: the series /metrics exposes after a load with 1,000 distinct API
 * keys (and as many end users, unknown model names and unknown paths) are exactly those after the
 * same load with 10 keys. No label carries a key, user, organisation, request or raw URL.
 */
let testApp: TestApp;
const asAdmin = () => ({ authorization: `Bearer ${testApp.adminKey}` });

interface Caller {
  organizationId: string;
  secret: string;
}

beforeAll(async () => {
  testApp = await startTestApp({
    config: { cache: { enabled: true } },
  });
});

afterAll(async () => {
  await testApp?.close();
});

async function createOrganization(name: string): Promise<string> {
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/v1/admin/organizations',
    headers: asAdmin(),
    payload: { name },
  });
  if (response.statusCode !== 201) throw new Error(`create organization: ${response.body}`);
  return response.json<{ id: string }>().id;
}

async function createKey(organizationId: string, index: number): Promise<Caller> {
  const response = await testApp.app.inject({
    method: 'POST',
    url: `/v1/admin/organizations/${organizationId}/keys`,
    headers: asAdmin(),
    payload: { name: `key ${index}`, role: 'member' },
  });
  if (response.statusCode !== 201) throw new Error(`create key: ${response.body}`);
  return { organizationId, secret: response.json<{ secret: string }>().secret };
}

/** One caller's share of the load: a chat, a streamed chat, an unknown model, an unknown path. */
async function load(caller: Caller, index: number): Promise<number[]> {
  const headers = {
    authorization: `Bearer ${caller.secret}`,
    'x-request-id': `request-${index}-${Date.now()}`,
  };
  const chat = (model: string, content: string, stream = false) =>
    testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers,
      payload: {
        model,
        user: `end-user-${index}`,
        stream,
        max_tokens: 4,
        messages: [{ role: 'user', content }],
      },
    });
  const responses = await Promise.all([
    chat('sim/fast', `question ${index}`),
    chat('sim/fast', `story ${index}`, true),
    chat(`no-such-model-${index}`, 'hello'),
    testApp.app.inject({ method: 'GET', url: `/v1/no-such-path-${index}?key=${index}`, headers }),
  ]);
  return responses.map((response) => response.statusCode);
}

async function driveLoad(callers: readonly Caller[], offset: number): Promise<Set<number>> {
  const statuses = new Set<number>();
  const batch = 25;
  for (let start = 0; start < callers.length; start += batch) {
    const answers = await Promise.all(
      callers.slice(start, start + batch).map((caller, position) => load(caller, offset + start + position)),
    );
    for (const status of answers.flat()) statuses.add(status);
  }
  return statuses;
}

async function exposedSeries(): Promise<string[]> {
  const response = await testApp.app.inject({ method: 'GET', url: '/metrics' });
  return response.body
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.slice(0, line.lastIndexOf(' ')));
}

describe('metric label cardinality', () => {
  it('exposes the same series after 1,000 API keys as after 10', async () => {
    const organizations = await Promise.all(
      Array.from({ length: 10 }, (_, index) => createOrganization(`tenant ${index}`)),
    );
    const callers: Caller[] = [];
    for (const [position, organizationId] of organizations.entries()) {
      for (let index = 0; index < 100; index += 1)
        callers.push(await createKey(organizationId, position * 100 + index));
    }
    expect(new Set(callers.map((caller) => caller.secret)).size).toBe(1000);

    const small = callers.filter((_, index) => index % 100 === 0);
    const statuses = await driveLoad(small, 0);
    expect([...statuses].sort()).toEqual([200, 404]);
    // why twice: the first scrape adds the series of the /metrics route itself.
    await exposedSeries();
    const afterSmall = await exposedSeries();

    await driveLoad(
      callers.filter((_, index) => index % 100 !== 0),
      small.length,
    );
    const afterLarge = await exposedSeries();
    console.log(
      `[metrics-cardinality] ${afterSmall.length} series after 10 keys, ${afterLarge.length} after 1,000 keys`,
    );

    expect(afterLarge.filter((series) => !afterSmall.includes(series))).toEqual([]);
    expect(afterLarge.length).toBe(afterSmall.length);
    const leaked = afterLarge.filter((series) =>
      /end-user-|no-such-model-|no-such-path-|request-\d|sk-kimi-|org_/.test(series),
    );
    expect(leaked).toEqual([]);
  }, 600_000);
});
