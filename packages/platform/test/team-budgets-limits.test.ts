/**
 * A team is a scope of its own in the budget and limit machinery: its budget and rate limits
 * count every key of the team together, beside the organisation's and each key's, and usage can
 * be grouped by team. Prices make one sim/fast request with max_tokens 1 cost exactly $0.01.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.ts';

let testApp: TestApp;
let organizationId: string;

const asAdmin = () => ({ authorization: `Bearer ${testApp.adminKey}` });

async function admin(method: 'PUT' | 'POST' | 'GET', url: string, payload?: object) {
  const response = await testApp.app.inject({
    method,
    url,
    headers: asAdmin(),
    ...(payload ? { payload } : {}),
  });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.body}`);
  return response.json();
}

function chat(secret: string) {
  return testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 },
  });
}

async function teamWithKeys(name: string, keys: number) {
  const base = `/v1/admin/organizations/${organizationId}`;
  const team = await admin('POST', `${base}/teams`, { name });
  const secrets: string[] = [];
  for (let index = 0; index < keys; index += 1) {
    const key = await admin('POST', `${base}/keys`, { name: `${name} ${index}`, team_id: team.id });
    secrets.push(key.secret);
  }
  return { teamId: team.id as string, secrets };
}

beforeAll(async () => {
  testApp = await startTestApp({
    config: { prices: { 'sim/fast': { input_per_million: '0', output_per_million: '10000' } } },
  });
  organizationId = (await admin('POST', '/v1/admin/organizations', { name: 'teams' })).id;
});

afterAll(async () => {
  await testApp?.close();
});

describe('team budgets and limits', () => {
  it('refuses with 402 once the team budget is spent, by any key of the team', async () => {
    const search = await teamWithKeys('search', 2);
    const outsider = await admin('POST', `/v1/admin/organizations/${organizationId}/keys`, { name: 'solo' });
    const budget = await admin('POST', `/v1/admin/organizations/${organizationId}/budgets`, {
      scope: 'team',
      subject: search.teamId,
      limit_usd: '0.02',
      period: 'month',
    });
    expect(budget.scope).toBe('team');
    expect((await chat(search.secrets[0]!)).statusCode).toBe(200);
    expect((await chat(search.secrets[1]!)).statusCode).toBe(200);
    const refused = await chat(search.secrets[0]!);
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.code).toBe('BUDGET_EXCEEDED');
    expect(refused.json().error.message).toContain(budget.id);
    expect((await chat(outsider.secret)).statusCode).toBe(200);
    const viewed = await admin('GET', `/v1/admin/organizations/${organizationId}/budgets/${budget.id}`);
    expect(viewed).toMatchObject({ spent_usd: '0.02', reserved_usd: '0' });

    const unknown = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${organizationId}/budgets`,
      headers: asAdmin(),
      payload: { scope: 'team', subject: 'team_missing', limit_usd: '1', period: 'month' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.param).toBe('subject');
  });

  it("applies the team's rate limit to its keys together, and names the team when it refuses", async () => {
    const research = await teamWithKeys('research', 2);
    const limits = await admin(
      'PUT',
      `/v1/admin/organizations/${organizationId}/teams/${research.teamId}/rate-limits`,
      { requests_per_minute: 3 },
    );
    expect(limits).toMatchObject({ object: 'team.rate_limits', requests_per_minute: 3 });
    const statuses = [];
    for (const secret of [
      research.secrets[0]!,
      research.secrets[1]!,
      research.secrets[0]!,
      research.secrets[1]!,
    ]) {
      statuses.push((await chat(secret)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await chat(research.secrets[0]!);
    expect(refused.json().error.message).toContain('team');
    expect(refused.json().error.hint).toContain('/teams/{team_id}/rate-limits');
  });

  it('groups usage by team', async () => {
    const analytics = await teamWithKeys('analytics', 1);
    expect((await chat(analytics.secrets[0]!)).statusCode).toBe(200);
    const usage = await testApp.app.inject({
      method: 'GET',
      url: '/v1/usage?group_by=team',
      headers: { authorization: `Bearer ${analytics.secrets[0]!}` },
    });
    expect(usage.statusCode).toBe(200);
    const groups = usage.json().data.map((row: { group: string }) => row.group);
    expect(groups).toContain(analytics.teamId);
  });
});
