import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerSentEvents, testTools, waitForRun } from './support/swarm-test-support.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/** Swarm runs end to end on the embedded store over real HTTP: API, execution, events, budgets, approvals. */
let testApp: TestApp;
const tools = testTools();

beforeAll(async () => {
  testApp = await startTestApp({
    listen: true,
    config: { providers: { sim: { models: { steady: { latency_ms: 20 } } } } },
    swarms: {
      tools,
      templates: {
        async resolve(_organizationId, name) {
          if (name !== 'review') return null;
          return {
            name: 'review',
            description: 'two reviewers',
            agents: [
              { role: 'security', instructions: 'Review security.', tools: [] },
              { role: 'cost', instructions: 'Review cost.', tools: [] },
            ],
          };
        },
      },
      options: { leaseMs: 2000 },
    },
  });
});

afterAll(async () => {
  await testApp?.close();
});

const headers = () => ({ authorization: `Bearer ${testApp.adminKey}`, 'content-type': 'application/json' });

async function createRun(body: Record<string, unknown>) {
  const response = await fetch(`${testApp.baseUrl}/v1/swarms`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { id: string },
  };
}

describe('swarm runs', () => {
  it('plans, runs a DAG of agents with tools, synthesises, and streams every event in order', async () => {
    const created = await createRun({
      task: 'Write a short report on solar power',
      model: 'sim/steady',
      agents: [
        { role: 'researcher', instructions: 'lookup facts about solar panels', tools: ['lookup'] },
        { role: 'writer', instructions: 'Write the report.', depends_on: ['researcher'] },
      ],
    });
    expect(created.status).toBe(202);
    const events = await readServerSentEvents(
      `${testApp.baseUrl}/v1/swarms/${created.body.id}/events`,
      headers(),
    );
    const run = await waitForRun(testApp.baseUrl, testApp.adminKey, created.body.id);
    expect(run.status).toBe('completed');
    expect(typeof run.result).toBe('string');
    const agents = run.agents as Array<{ id: string; status: string; steps: Array<{ kind: string }> }>;
    expect(agents.map((agent) => [agent.id, agent.status])).toEqual([
      ['researcher', 'completed'],
      ['writer', 'completed'],
    ]);
    expect(agents[0]?.steps.some((step) => step.kind === 'tool-call')).toBe(true);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    const types = events.map((event) => event.event);
    expect(types[0]).toBe('run-start');
    expect(types[1]).toBe('plan-ready');
    expect(types).toContain('tool-call-start');
    expect(types).toContain('tool-call-end');
    expect(types).toContain('synthesis-delta');
    expect(types.at(-1)).toBe('run-end');
    // The writer starts only after the researcher ended.
    const researcherEnd = types.findIndex(
      (type, index) => type === 'agent-end' && events[index]?.data.data.agent_id === 'researcher',
    );
    const writerStart = types.findIndex(
      (type, index) => type === 'agent-start' && events[index]?.data.data.agent_id === 'writer',
    );
    expect(writerStart).toBeGreaterThan(researcherEnd);
    const synthesis = events
      .filter((event) => event.event === 'synthesis-delta')
      .map((event) => event.data.data.delta)
      .join('');
    expect(synthesis).toBe(run.result);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ task: '   ' }, 'task'],
      [{ task: 'x', template: 'nope' }, 'template'],
      [{ task: 'x', max_agents: 1000 }, 'max_agents'],
      [{ task: 'x', agents: [{ role: 'a', tools: ['broken'] }] }, 'agents[0].tools'],
      [{ task: 'x', agents: [{ role: 'a', tools: ['missing'] }] }, 'agents[0].tools'],
      [{ task: 'x', agents: [{ role: 'a' }, { role: 'b' }], max_agents: 1 }, 'max_agents'],
      [{ task: 'x', agents: [{ role: 'a', depends_on: ['z'] }] }, 'agents[0].depends_on'],
      [{ task: 'x', budget_usd: -1 }, 'budget_usd'],
    ];
    for (const [body, param] of cases) {
      const response = await createRun(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.body as unknown as { error: { param: string } }).error.param).toBe(param);
    }
  });

  it('refuses a dependency cycle among inline agents with a 400 naming the field and the cycle, before any run or call', async () => {
    const count = async (sql: string) =>
      Number((await testApp.database.query<{ count: string }>(sql)).rows[0]?.count);
    const runsBefore = await count('SELECT count(*)::text AS count FROM swarm_runs');
    const usageBefore = await count('SELECT count(*)::text AS count FROM usage_records');
    const cases: Array<[Array<Record<string, unknown>>, string, string]> = [
      [
        [
          { role: 'a', depends_on: ['b'] },
          { role: 'b', depends_on: ['a'] },
        ],
        'agents[1].depends_on',
        'b → a → b',
      ],
      [
        [
          { role: 'researcher' },
          { role: 'analyst', depends_on: ['researcher', 'writer'] },
          { role: 'editor', depends_on: ['analyst'] },
          { role: 'writer', depends_on: ['editor'] },
        ],
        'agents[3].depends_on',
        'writer → editor → analyst → writer',
      ],
    ];
    for (const [agents, param, cycle] of cases) {
      const response = await testApp.app.inject({
        method: 'POST',
        url: '/v1/swarms',
        headers: headers(),
        payload: { task: 'Go round in circles', model: 'sim/steady', agents },
      });
      expect(response.statusCode, response.body).toBe(400);
      const { error } = response.json<{
        error: { message: string; type: string; code: string; param: string };
      }>();
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'INVALID_REQUEST', param });
      expect(error.message).toContain(cycle);
    }
    expect(await count('SELECT count(*)::text AS count FROM swarm_runs')).toBe(runsBefore);
    expect(await count('SELECT count(*)::text AS count FROM usage_records')).toBe(usageBefore);
  });

  it("refuses max_agents above the organisation plan's limit, naming the upgrade", async () => {
    const tenant = await createTenant(testApp, { name: 'free swarms' });
    const setPlan = await fetch(`${testApp.baseUrl}/v1/admin/organizations/${tenant.organizationId}/plan`, {
      method: 'PUT',
      headers: headers(),
      body: JSON.stringify({ plan: 'free' }),
    });
    expect(setPlan.status).toBe(200);
    const response = await fetch(`${testApp.baseUrl}/v1/swarms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ task: 'Audit the service', max_agents: 5 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; message: string; hint: string } };
    expect(body.error.param).toBe('max_agents');
    expect(body.error.message).toContain("Free plan's limit of 3 agents per run");
    expect(body.error.hint).toContain('Upgrade to the Basic plan');
  });

  it('runs a template and lists the organisation’s runs by status, paginated', async () => {
    const created = await createRun({ task: 'Review the design', template: 'review' });
    expect(created.status).toBe(202);
    const run = await waitForRun(testApp.baseUrl, testApp.adminKey, created.body.id);
    expect(run.status).toBe('completed');
    expect((run.agents as unknown[]).length).toBe(2);
    const first = await fetch(`${testApp.baseUrl}/v1/swarms?status=completed&limit=1`, {
      headers: headers(),
    });
    const page = (await first.json()) as {
      data: Array<{ id: string; status: string }>;
      has_more: boolean;
      next_cursor: string;
    };
    expect(page.data).toHaveLength(1);
    expect(page.has_more).toBe(true);
    const second = await fetch(
      `${testApp.baseUrl}/v1/swarms?status=completed&limit=1&after=${page.next_cursor}`,
      {
        headers: headers(),
      },
    );
    const next = (await second.json()) as { data: Array<{ id: string }> };
    expect(next.data[0]?.id).not.toBe(page.data[0]?.id);
  });

  it('stops at budget_exhausted without ever spending more than budget_usd', async () => {
    const created = await createRun({
      task: 'Summarise the history of computing',
      model: 'sim/smart',
      budget_usd: 0.01,
      max_output_tokens: 200,
      max_parallel: 2,
      agents: Array.from({ length: 12 }, (_, index) => ({
        role: `analyst-${index}`,
        instructions: `Cover era ${index}.`,
      })),
    });
    expect(created.status).toBe(202);
    const run = await waitForRun(testApp.baseUrl, testApp.adminKey, created.body.id);
    expect(run.status).toBe('budget_exhausted');
    const usage = run.usage as { cost_usd: string };
    expect(Number(usage.cost_usd)).toBeGreaterThan(0);
    expect(Number(usage.cost_usd)).toBeLessThanOrEqual(0.01);
    const metered = await testApp.database.query<{ total: string }>(
      `SELECT COALESCE(SUM(cost_usd), 0)::text AS total FROM usage_records WHERE request_id LIKE $1`,
      [`swarm_${created.body.id}_%`],
    );
    expect(Number(metered.rows[0]?.total)).toBeLessThanOrEqual(0.01);
    expect(Number(metered.rows[0]?.total)).toBeCloseTo(Number(usage.cost_usd), 10);
  });

  it('pauses for approval of a tool call and resumes when it is accepted', async () => {
    const created = await createRun({
      task: 'Ship it',
      model: 'sim/steady',
      agents: [{ role: 'releaser', instructions: 'deploy the release', tools: ['deploy'] }],
    });
    const deadline = Date.now() + 10_000;
    let run = await waitForRun(testApp.baseUrl, testApp.adminKey, created.body.id);
    expect(run.status).toBe('awaiting_approval');
    const pending = run.pending_approvals as Array<{ step_id: string }>;
    expect(pending).toHaveLength(1);
    const refused = await fetch(`${testApp.baseUrl}/v1/swarms/${created.body.id}/approvals`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ step_id: 'nope', decision: 'accept' }),
    });
    expect(refused.status).toBe(400);
    const accepted = await fetch(`${testApp.baseUrl}/v1/swarms/${created.body.id}/approvals`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ step_id: pending[0]?.step_id, decision: 'accept' }),
    });
    expect(accepted.status).toBe(200);
    while (Date.now() < deadline) {
      run = await waitForRun(testApp.baseUrl, testApp.adminKey, created.body.id);
      if (run.status !== 'awaiting_approval') break;
    }
    expect(run.status).toBe('completed');
    expect(tools.executions).toContain(pending[0]?.step_id);
  });

  it('cancels a run', async () => {
    const created = await createRun({
      task: 'Slow work',
      model: 'sim/steady',
      max_parallel: 1,
      agents: Array.from({ length: 20 }, (_, index) => ({ role: `worker-${index}` })),
    });
    const cancelled = await fetch(`${testApp.baseUrl}/v1/swarms/${created.body.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testApp.adminKey}` },
    });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
    const events = await readServerSentEvents(
      `${testApp.baseUrl}/v1/swarms/${created.body.id}/events`,
      headers(),
    );
    expect(events.at(-1)?.event).toBe('run-end');
    expect(events.at(-1)?.data.data.status).toBe('cancelled');
  });
});
