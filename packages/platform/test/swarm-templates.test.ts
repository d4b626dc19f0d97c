import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool, ToolResolver } from '../src/agents/index.ts';
import { readServerSentEvents, waitForRun } from './support/swarm-test-support.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Built-in templates run end to end on the embedded store: an agent that builds on others (the
 * security audit's report writer) starts only after they ended, with their results in its prompt.
 */
let testApp: TestApp;

/** Every tool a template names answers offline, so no run reaches the network. */
const offlineTools: ToolResolver = {
  async resolve(_organizationId, names) {
    return names.map(
      (name): Tool => ({
        definition: {
          name,
          description: `${name} (offline)`,
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
        async execute() {
          return { ok: true, output: `no ${name} results offline` };
        },
      }),
    );
  },
};

beforeAll(async () => {
  testApp = await startTestApp({ listen: true, swarms: { tools: offlineTools, options: { leaseMs: 5000 } } });
});

afterAll(async () => {
  await testApp?.close();
});

const headers = () => ({ authorization: `Bearer ${testApp.adminKey}`, 'content-type': 'application/json' });

describe('built-in templates', () => {
  it('security-audit: the report writer starts after the three reviewers ended and gets their findings', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/swarms',
      headers: headers(),
      payload: { task: 'Audit the billing service', template: 'security-audit', model: 'sim/fast' },
    });
    expect(response.statusCode, response.body).toBe(202);
    const runId = response.json<{ id: string }>().id;
    const events = await readServerSentEvents(`${testApp.baseUrl}/v1/swarms/${runId}/events`, headers());
    const run = await waitForRun(testApp.baseUrl, testApp.adminKey, runId);
    expect(run.status).toBe('completed');
    const reviewers = ['threat-modeler', 'dependency-reviewer', 'code-reviewer'];
    const plan = run.plan as { subtasks: Array<{ id: string; depends_on: string[] }> };
    expect(plan.subtasks.find((subtask) => subtask.id === 'report-writer')?.depends_on).toEqual(reviewers);
    const position = (type: string, agentId: string) =>
      events.findIndex((event) => event.event === type && event.data.data.agent_id === agentId);
    const writerStart = position('agent-start', 'report-writer');
    expect(writerStart).toBeGreaterThan(0);
    for (const reviewer of reviewers) expect(position('agent-end', reviewer)).toBeLessThan(writerStart);
    const writer = (run.agents as Array<{ id: string; steps: Array<{ input: unknown }> }>).find(
      (agent) => agent.id === 'report-writer',
    );
    const prompt = JSON.stringify(writer?.steps[0]?.input);
    for (const reviewer of reviewers) expect(prompt).toContain(`Result of '${reviewer}'`);
  }, 30_000);
});
