import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/db/index.ts';
import { addDocumentsAndWait, createKnowledgeBase } from './support/knowledge-test-support.ts';
import { waitForRun } from './support/swarm-test-support.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Agents with knowledge bases, on the platform's own toolkit and the simulated model: a run bound
 * to `knowledge_bases` (or a template's) gets `knowledge_search` passages from exactly those bases,
 * cited with their sources; the query's embedding is metered to the run's organisation; another
 * organisation's knowledge base is refused with a 404 naming the entry. Runs are created on an
 * API-only app and executed by another app's worker on the same store, so the bases a worker
 * searches are the ones stored with the run.
 */
let testApp: TestApp;
let database: Database;
let closeDatabase: () => Promise<void>;
let tenant: { organizationId: string; secret: string };
let worker: TestApp;
let boundBase: string;
let otherBase: string;
let strangerBase: string;

const instructions = 'Search the knowledge base for solar panels and cite the passages you find.';

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
  closeDatabase = () => database.close();
  // why no worker here: runs are executed by the worker app below, from what the run row stores.
  testApp = await startTestApp({ database, listen: true, swarms: { runWorker: false } });
  worker = await startTestApp({ database, swarms: { options: { leaseMs: 400 } } });
  tenant = await createTenant(testApp, { name: 'agents', role: 'admin' });
  const stranger = await createTenant(testApp, { name: 'stranger' });
  boundBase = await createKnowledgeBase(testApp.baseUrl, tenant.secret, 'Energy');
  await addDocumentsAndWait(testApp.baseUrl, tenant.secret, boundBase, [
    {
      title: 'Solar power',
      external_id: 'solar-guide',
      text: 'Solar panels convert sunlight into electricity with photovoltaic cells. Batteries store the electricity for the night.',
    },
  ]);
  otherBase = await createKnowledgeBase(testApp.baseUrl, tenant.secret, 'Unbound');
  await addDocumentsAndWait(testApp.baseUrl, tenant.secret, otherBase, [
    { title: 'Solar rumours', external_id: 'rumours', text: 'Solar panels are said to work at night too.' },
  ]);
  strangerBase = await createKnowledgeBase(testApp.baseUrl, stranger.secret, 'Secret');
});

afterAll(async () => {
  await worker?.close();
  await testApp?.close();
  await closeDatabase?.();
});

async function send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
  const response = await fetch(`${testApp.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { id: string },
  };
}

interface Step {
  kind: string;
  input: { tool?: string; arguments?: string } | null;
  output: { ok: boolean; output?: string; error?: string } | null;
}

/** The outputs of every knowledge_search call of a finished run. */
async function knowledgeSearchOutputs(runId: string) {
  const run = await waitForRun(testApp.baseUrl, tenant.secret, runId);
  expect(run.status).toBe('completed');
  const agents = run.agents as Array<{ steps: Step[] }>;
  const calls = agents
    .flatMap((agent) => agent.steps)
    .filter((step) => step.kind === 'tool-call' && step.input?.tool === 'knowledge_search');
  return { run, outputs: calls.map((step) => step.output) };
}

describe('knowledge_search in swarm runs', () => {
  it('searches exactly the bound knowledge bases and cites every passage', async () => {
    const created = await send('POST', '/v1/swarms', {
      task: 'Explain how solar panels work',
      knowledge_bases: [boundBase],
      agents: [{ role: 'researcher', instructions, tools: ['knowledge_search'] }],
    });
    expect(created.status).toBe(202);
    expect(created.body.knowledge_bases).toEqual([boundBase]);
    const { run, outputs } = await knowledgeSearchOutputs(created.body.id);
    expect(run.knowledge_bases).toEqual([boundBase]);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(output?.ok).toBe(true);
      expect(output?.output).toMatch(/^\[1\] Solar power \(solar-guide, chars 0–\d+\)\nSolar panels convert/);
      expect(output?.output).not.toContain('rumours');
    }
    // The query's embedding went through the gateway, metered to the run's organisation.
    const usage = await testApp.database.query<{ count: number }>(
      `SELECT count(*)::int8 AS count FROM usage_records
        WHERE organization_id = $1 AND endpoint = 'embeddings' AND request_id LIKE $2`,
      [tenant.organizationId, `swarm_${created.body.id}_%`],
    );
    expect(Number(usage.rows[0]!.count)).toBe(outputs.length);
  });

  it("binds the template's knowledge bases unless the run names its own", async () => {
    const template = await send('POST', '/v1/swarm-templates', {
      name: 'solar-research',
      description: 'Researches solar power from the energy knowledge base.',
      agents: [{ role: 'researcher', instructions, tools: ['knowledge_search'] }],
      knowledge_bases: [otherBase],
    });
    expect(template.status).toBe(201);
    expect(template.body.knowledge_bases).toEqual([otherBase]);
    const fromTemplate = await send('POST', '/v1/swarms', {
      task: 'Explain how solar panels work',
      template: 'solar-research',
    });
    expect(fromTemplate.status).toBe(202);
    const templated = await knowledgeSearchOutputs(fromTemplate.body.id);
    expect(templated.run.knowledge_bases).toEqual([otherBase]);
    for (const output of templated.outputs) expect(output?.output).toContain('Solar rumours (rumours');
    const overridden = await send('POST', '/v1/swarms', {
      task: 'Explain how solar panels work',
      template: 'solar-research',
      knowledge_bases: [boundBase],
    });
    const own = await knowledgeSearchOutputs(overridden.body.id);
    expect(own.run.knowledge_bases).toEqual([boundBase]);
    for (const output of own.outputs) {
      expect(output?.output).toContain('Solar power (solar-guide');
      expect(output?.output).not.toContain('rumours');
    }
  });

  it('searches every knowledge base of the organisation when unbound, and narrows only to its own', async () => {
    const caller = await testApp.platform.authenticator.authenticate(tenant.secret);
    const [tool] = await testApp.platform.agentTools.toolResolver.resolve(tenant.organizationId, [
      'knowledge_search',
    ]);
    const context = {
      organizationId: tenant.organizationId,
      runId: 'swarm_direct',
      stepKey: 'researcher/tool-0-0',
      signal: new AbortController().signal,
      caller,
      attempt: 1,
    };
    const all = await tool!.execute({ query: 'solar panels at night', limit: 10 }, context);
    expect(all.ok).toBe(true);
    const text = all.ok ? all.output : '';
    expect(text).toContain('(solar-guide, chars 0–');
    expect(text).toContain('(rumours, chars 0–');
    const narrowed = await tool!.execute({ query: 'solar panels', knowledge_base: otherBase }, context);
    expect(narrowed.ok && narrowed.output).toMatch(/^\[1\] Solar rumours \(rumours, chars 0–\d+\)/);
    expect(narrowed.ok && narrowed.output).not.toContain('solar-guide');
    const foreign = await tool!.execute({ query: 'solar panels', knowledge_base: strangerBase }, context);
    expect(foreign).toEqual({ ok: false, error: `The knowledge base '${strangerBase}' was not found.` });
    const lonely = await createTenant(testApp, { name: 'no knowledge' });
    const none = await tool!.execute(
      { query: 'solar' },
      {
        ...context,
        organizationId: lonely.organizationId,
        caller: await testApp.platform.authenticator.authenticate(lonely.secret),
      },
    );
    expect(none).toEqual({ ok: false, error: expect.stringMatching(/No knowledge base is configured/) });
  });

  it("refuses another organisation's or an unknown knowledge base alike, naming the entry", async () => {
    for (const id of [strangerBase, 'kb_doesnotexist']) {
      const created = await send('POST', '/v1/swarms', {
        task: 'Explain solar panels',
        knowledge_bases: [boundBase, id],
        agents: [{ role: 'researcher', instructions, tools: ['knowledge_search'] }],
      });
      expect(created.status).toBe(404);
      expect((created.body.error as { param: string }).param).toBe('knowledge_bases[1]');
    }
    const tooMany = await send('POST', '/v1/swarms', {
      task: 'Explain solar panels',
      knowledge_bases: Array.from({ length: 11 }, (_, index) => `kb_${index}`),
    });
    expect(tooMany.status).toBe(400);
    expect((tooMany.body.error as { param: string }).param).toBe('knowledge_bases');
  });
});
