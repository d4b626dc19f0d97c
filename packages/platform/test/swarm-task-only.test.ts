import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from './support/services.ts';
import { waitForRun } from './support/swarm-test-support.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './support/test-app.ts';

/**
 * A swarm given only a task (no template, no agents) completes offline: the simulated planner
 * decomposes the task into several subtasks with dependencies, the agents run them and the
 * synthesis answers — on the embedded store and on PostgreSQL + Redis.
 */
const services = (await postgresAvailable()) && (await redisAvailable());

interface RunView {
  status: string;
  error: unknown;
  result: string | null;
  plan: { subtasks: Array<{ id: string; role: string; depends_on: string[] }> };
  agents: Array<{ id: string; status: string; steps: Array<{ kind: string }> }>;
  run_steps: Array<{ id: string; kind: string; status: string }>;
}

async function runTask(testApp: TestApp, body: Record<string, unknown>): Promise<RunView> {
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/v1/swarms',
    headers: { authorization: `Bearer ${testApp.adminKey}` },
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(202);
  const runId = response.json<{ id: string }>().id;
  return (await waitForRun(testApp.baseUrl, testApp.adminKey, runId)) as unknown as RunView;
}

function expectCompletedWithSeveralSteps(run: RunView): void {
  expect(run.status, JSON.stringify(run.error)).toBe('completed');
  expect(run.plan.subtasks.length).toBeGreaterThanOrEqual(3);
  expect(run.plan.subtasks.length).toBeLessThanOrEqual(5);
  expect(run.agents.every((agent) => agent.status === 'completed')).toBe(true);
  expect(run.agents.every((agent) => agent.steps.some((step) => step.kind === 'model-call'))).toBe(true);
  const synthesis = run.run_steps.find((step) => step.kind === 'synthesis');
  expect(synthesis?.status).toBe('completed');
  expect(typeof run.result).toBe('string');
  expect(run.result?.length ?? 0).toBeGreaterThan(0);
}

/** The subtasks that `id` waits for, directly or through others. */
function prerequisites(run: RunView, id: string): Set<string> {
  const byId = new Map(run.plan.subtasks.map((subtask) => [subtask.id, subtask]));
  const found = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of byId.get(current)?.depends_on ?? []) {
      if (found.has(dependency)) continue;
      found.add(dependency);
      visit(dependency);
    }
  };
  visit(id);
  return found;
}

function taskOnlySuite(
  name: string,
  options: () => Promise<TestAppOptions & { cleanup?: () => Promise<void> }>,
) {
  describe(name, () => {
    let testApp: TestApp;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const { cleanup: drop, ...appOptions } = await options();
      cleanup = drop;
      testApp = await startTestApp({ ...appOptions, listen: true, swarms: { options: { leaseMs: 5000 } } });
    }, 60_000);

    afterAll(async () => {
      await testApp?.close();
      await cleanup?.();
    });

    for (const model of ['sim/fast', 'sim/smart']) {
      it(`runs a comparison task to completion with one researcher per subject (${model})`, async () => {
        const task = 'Compare PostgreSQL and MongoDB for a multi-tenant SaaS';
        const run = await runTask(testApp, { task, model });
        expectCompletedWithSeveralSteps(run);
        const researchers = run.plan.subtasks.filter((subtask) => subtask.role === 'researcher');
        expect(researchers.map((subtask) => subtask.id)).toEqual(['research-postgresql', 'research-mongodb']);
        expect(researchers.every((subtask) => subtask.depends_on.length === 0)).toBe(true);
        const final = run.plan.subtasks.at(-1)!;
        expect(['analyst', 'writer']).toContain(final.role);
        expect([...prerequisites(run, final.id)].sort()).toEqual(
          run.plan.subtasks
            .filter((subtask) => subtask.id !== final.id)
            .map((subtask) => subtask.id)
            .sort(),
        );
      }, 30_000);
    }

    it('runs any other task as research aspects and a synthesiser, the same plan every time', async () => {
      const task = 'Explain how to reduce the carbon footprint of a data centre';
      const first = await runTask(testApp, { task, model: 'sim/fast' });
      expectCompletedWithSeveralSteps(first);
      const final = first.plan.subtasks.at(-1)!;
      expect(final.role).toBe('synthesiser');
      expect(prerequisites(first, final.id).size).toBe(first.plan.subtasks.length - 1);
      expect(first.plan.subtasks.slice(0, -1).every((subtask) => subtask.role === 'researcher')).toBe(true);
      const second = await runTask(testApp, { task, model: 'sim/fast' });
      expect(second.plan).toEqual(first.plan);
    }, 30_000);
  });
}

taskOnlySuite('a task-only swarm on embedded PGlite + in-process', async () => ({}));

if (services) {
  taskOnlySuite('a task-only swarm on PostgreSQL + Redis', async () => {
    const temporary: TemporaryDatabase = await createTemporaryDatabase();
    return {
      databaseUrl: temporary.url,
      redisUrl: testRedisUrl,
      redisPrefix: uniqueRedisPrefix('swarm-task-only'),
      cleanup: () => temporary.drop(),
    };
  });
} else {
  describe.skip('a task-only swarm on PostgreSQL + Redis (services unreachable)', () => {
    it('runs a task to completion', () => {});
  });
}
