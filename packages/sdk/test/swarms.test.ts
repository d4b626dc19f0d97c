import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTools } from '../../platform/test/support/swarm-test-support.ts';
import { ConflictError, Kimi, type Swarm, type SwarmEvent } from '../src/index.ts';
import {
  availableBackends,
  createTenant,
  droppingFetch,
  type RunningPlatform,
  startPlatform,
} from './support/platform.ts';

/**
 * Agent swarms through the SDK against the running platform: create (with its Idempotency-Key),
 * get, list, cancel, approve, and watch — including a watch whose connection is dropped mid-stream
 * by an injected fetch, which must still deliver every event exactly once, in order.
 */
const backends = await availableBackends();

const terminal = new Set(['completed', 'failed', 'cancelled', 'timed_out', 'budget_exhausted']);

async function settled(
  kimi: Kimi,
  id: string,
  until: (run: Swarm) => boolean = (run) => terminal.has(run.status),
) {
  for (let poll = 0; poll < 400; poll++) {
    const run = await kimi.swarms.get(id);
    if (until(run)) return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the run ${id} did not settle`);
}

const twoAgents = {
  task: 'Write a short report on tidal power',
  model: 'sim/steady',
  agents: [
    { role: 'researcher', instructions: 'Collect facts about tidal power.' },
    { role: 'writer', instructions: 'Write the report.', depends_on: ['researcher'] },
  ],
};

describe.each(backends)('swarms through the SDK (%s)', (backend) => {
  let platform: RunningPlatform;
  let kimi: Kimi;
  let secret: string;
  const tools = testTools();

  beforeAll(async () => {
    platform = await startPlatform(backend, {
      config: { providers: { sim: { models: { steady: { latency_ms: 20 } } } } },
      swarms: { tools, options: { leaseMs: 2000 } },
    });
    secret = (await createTenant(platform.testApp, { name: 'swarm tenant', role: 'admin' })).secret;
    kimi = new Kimi({ apiKey: secret, baseUrl: platform.testApp.baseUrl, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('creates a run and watches its events to the end, in order', async () => {
    const run = await kimi.swarms.create(twoAgents);
    expect(run).toMatchObject({ object: 'swarm.run', task: twoAgents.task });
    const events: SwarmEvent[] = [];
    for await (const event of kimi.swarms.watch(run.id)) events.push(event);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');
    const finished = await kimi.swarms.get(run.id);
    expect(finished.status).toBe('completed');
    expect(finished.agents?.map((agent) => agent.status)).toEqual(['completed', 'completed']);
    const listed = await kimi.swarms.list({ limit: 100 });
    expect(listed.data.map((item) => item.id)).toContain(run.id);
    const completed = await kimi.swarms.list({ status: 'completed', limit: 100 });
    expect(completed.data.every((item) => item.status === 'completed')).toBe(true);
  });

  it('resumes a dropped watch with Last-Event-ID: every event once, in order', async () => {
    const run = await kimi.swarms.create(twoAgents);
    const fetch = droppingFetch((url) => url.includes(`/v1/swarms/${run.id}/events`), 700);
    const dropped = new Kimi({ apiKey: secret, baseUrl: platform.testApp.baseUrl, maxRetries: 0, fetch });
    const events: SwarmEvent[] = [];
    for await (const event of dropped.swarms.watch(run.id)) events.push(event);
    expect(fetch.dropped).toBe(1);
    const streams = fetch.requests.filter((request) => request.url.includes('/events'));
    expect(streams.length).toBeGreaterThanOrEqual(2);
    const resumedFrom = Number(streams[1]?.headers.get('last-event-id'));
    expect(resumedFrom).toBeGreaterThan(0);
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)?.type).toBe('run-end');
    // the same events an undisturbed watch reads
    const undisturbed: SwarmEvent[] = [];
    for await (const event of kimi.swarms.watch(run.id)) undisturbed.push(event);
    expect(events).toEqual(undisturbed);
    // and a watch from a sequence number starts after it
    const later: SwarmEvent[] = [];
    for await (const event of kimi.swarms.watch(run.id, { after: resumedFrom })) later.push(event);
    expect(later).toEqual(undisturbed.slice(resumedFrom));
  });

  it('makes one run when the answer to a creation is lost and the SDK sends it again', async () => {
    const task = { ...twoAgents, task: `Idempotent task ${backend}` };
    const fetch = droppingFetch((url) => url.endsWith('/v1/swarms'), 5);
    const lossy = new Kimi({ apiKey: secret, baseUrl: platform.testApp.baseUrl, maxRetries: 2, fetch });
    const run = await lossy.swarms.create(task, { idempotencyKey: `sdk-retry-${backend}` });
    expect(fetch.dropped).toBe(1);
    const creations = fetch.requests.filter((request) => request.url.endsWith('/v1/swarms'));
    expect(creations).toHaveLength(2);
    expect(creations.map((request) => request.headers.get('idempotency-key'))).toEqual([
      `sdk-retry-${backend}`,
      `sdk-retry-${backend}`,
    ]);
    const runs = (await kimi.swarms.list({ limit: 100 })).data.filter((item) => item.task === task.task);
    expect(runs.map((item) => item.id)).toEqual([run.id]);
    // an explicit repeat replays too; the key with another body is a conflict
    expect((await kimi.swarms.create(task, { idempotencyKey: `sdk-retry-${backend}` })).id).toBe(run.id);
    await expect(
      kimi.swarms.create({ ...task, task: 'another' }, { idempotencyKey: `sdk-retry-${backend}` }),
    ).rejects.toBeInstanceOf(ConflictError);
    // without a key of its own, each create is a new run
    const first = await kimi.swarms.create({ ...task, task: 'fresh' });
    const second = await kimi.swarms.create({ ...task, task: 'fresh' });
    expect(first.id).not.toBe(second.id);
  });

  it('approves a pending tool call, and the run completes', async () => {
    const run = await kimi.swarms.create({
      task: 'Ship it',
      model: 'sim/steady',
      agents: [{ role: 'releaser', instructions: 'deploy the release', tools: ['deploy'] }],
    });
    const waiting = await settled(kimi, run.id, (current) => current.status === 'awaiting_approval');
    expect(waiting.pending_approvals).toHaveLength(1);
    const decided = await kimi.swarms.approve(run.id, { decision: 'approve' });
    expect(decided.id).toBe(run.id);
    const finished = await settled(kimi, run.id);
    expect(finished.status).toBe('completed');
    expect(tools.executions).toContain(waiting.pending_approvals?.[0]?.step_id);
  });

  it('cancels a run, and its watch ends', async () => {
    const run = await kimi.swarms.create({
      task: 'Slow work',
      model: 'sim/steady',
      agents: [{ role: 'releaser', instructions: 'deploy the release', tools: ['deploy'] }],
    });
    await settled(kimi, run.id, (current) => current.status === 'awaiting_approval');
    const cancelled = await kimi.swarms.cancel(run.id);
    expect(cancelled.status).toBe('cancelled');
    const events: SwarmEvent[] = [];
    for await (const event of kimi.swarms.watch(run.id)) events.push(event);
    expect(['run-end', 'run-error']).toContain(events.at(-1)?.type);
  });

  it('lists swarm templates', async () => {
    const templates = await kimi.swarms.templates.list();
    expect(Array.isArray(templates)).toBe(true);
  });
});
