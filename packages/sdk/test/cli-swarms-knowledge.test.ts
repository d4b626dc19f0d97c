import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliPlatform, describeRun, json, startCliPlatform } from './cli-support.ts';

/**
 * The `kimi` binary end to end, part 2 (swarms and knowledge bases): the same real platform and
 * spawned binary as cli-commands.test.ts, logged in once with `kimi login` before the tests.
 */
let platform: CliPlatform;
let testApp: CliPlatform['testApp'];
let directory: string;
const kimi: CliPlatform['kimi'] = (args, options) => platform.kimi(args, options);

beforeAll(async () => {
  platform = await startCliPlatform();
  testApp = platform.testApp;
  directory = platform.directory;
  const login = await kimi(['login', '--base-url', testApp.baseUrl, '--api-key', testApp.adminKey]);
  if (login.code !== 0) throw new Error(`kimi login failed: ${describeRun(login)}`);
});

afterAll(async () => {
  await platform?.close();
});

describe('kimi swarm', () => {
  it('runs the security-audit template with --watch: every agent shown, the run completes', async () => {
    const run = await kimi([
      'swarm',
      'run',
      '--template',
      'security-audit',
      '--task',
      'Audit the billing service',
      '--model',
      'sim/fast',
      '--watch',
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    for (const role of ['threat-modeler', 'dependency-reviewer', 'code-reviewer', 'report-writer']) {
      expect(run.stdout).toContain(`agent ${role} started`);
      expect(run.stdout).toMatch(
        new RegExp(`^${role}\\s+${role}\\s+completed\\s+[1-9]\\d*\\s+\\d+\\s+\\$`, 'm'),
      );
    }
    expect(run.stdout).toMatch(/^plan ready: 4 agents/m);
    expect(run.stdout).toMatch(/^run swarm_\S+ completed, cost \$/m);
    const runId = /^run (\S+) completed, cost/m.exec(run.stdout)?.[1];
    const listed = await kimi(['swarm', 'list', '--json']);
    expect(listed.stdout).toContain(runId);
    const shown = await kimi(['swarm', 'get', runId!]);
    expect(shown.code, describeRun(shown)).toBe(0);
    expect(shown.stdout).toMatch(/^status\s+completed$/m);
  }, 60_000);

  it('prints each event as a JSON line with --watch --json, and the run last', async () => {
    const run = await kimi([
      'swarm',
      'run',
      '--task',
      'Compare Postgres and Redis',
      '--model',
      'sim/fast',
      '--watch',
      '--json',
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => json<{ type?: string; object?: string; status?: string }>(line));
    expect(lines[0]?.type).toBe('run-start');
    expect(lines.some((line) => line.type === 'agent-start')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ object: 'swarm.run', status: 'completed' });
  }, 60_000);

  it('approves a tool call waiting for approval, then watches the run to its end', async () => {
    // the organisation's tool `deploy` must exist for the template; the suite's resolver runs it offline
    const tool = await testApp.app.inject({
      method: 'POST',
      url: '/v1/tools',
      headers: { authorization: `Bearer ${testApp.adminKey}`, 'content-type': 'application/json' },
      payload: {
        name: 'deploy',
        description: 'deploy the release',
        url: 'https://deploy.example.com/hook',
        parameters: { type: 'object', properties: { target: { type: 'string' } } },
        needs_approval: true,
      },
    });
    expect(tool.statusCode, tool.body).toBe(201);
    const template = await testApp.app.inject({
      method: 'POST',
      url: '/v1/swarm-templates',
      headers: { authorization: `Bearer ${testApp.adminKey}`, 'content-type': 'application/json' },
      payload: {
        name: 'release',
        description: 'Ships a release after a person approves the deployment.',
        agents: [{ role: 'releaser', instructions: 'deploy the release', tools: ['deploy'] }],
      },
    });
    expect(template.statusCode, template.body).toBe(201);
    const started = await kimi([
      'swarm',
      'run',
      '--template',
      'release',
      '--task',
      'Ship it',
      '--model',
      'sim/fast',
      '--json',
    ]);
    expect(started.code, describeRun(started)).toBe(0);
    const runId = json<{ id: string }>(started.stdout).id;
    let status = '';
    for (let attempt = 0; attempt < 100 && status !== 'awaiting_approval'; attempt++) {
      status = json<{ status: string }>((await kimi(['swarm', 'get', runId, '--json'])).stdout).status;
    }
    expect(status).toBe('awaiting_approval');
    const shown = await kimi(['swarm', 'get', runId]);
    expect(shown.stdout).toMatch(/^awaiting approval: step \S+ \(agent releaser\)$/m);
    const approved = await kimi(['swarm', 'approve', runId]);
    expect(approved.code, describeRun(approved)).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^approved step \\S+ of run ${runId}$`, 'm'));
    const watched = await kimi(['swarm', 'watch', runId]);
    expect(watched.code, describeRun(watched)).toBe(0);
    expect(watched.stdout).toMatch(/^agent releaser waits for approval of deploy: kimi swarm approve /m);
    expect(watched.stdout).toMatch(/^agent releaser: deploy ok$/m);
    expect(watched.stdout).toMatch(new RegExp(`^run ${runId} completed, cost`, 'm'));
    const again = await kimi(['swarm', 'approve', runId]);
    expect(again.code, describeRun(again)).toBe(5);
    expect(again.stderr).toMatch(/^error NOTHING_TO_APPROVE: /m);
  }, 60_000);

  it('cancels a run; watching a cancelled run exits 10', async () => {
    const started = await kimi([
      'swarm',
      'run',
      '--template',
      'release',
      '--task',
      'Ship it',
      '--model',
      'sim/fast',
      '--json',
    ]);
    const runId = json<{ id: string }>(started.stdout).id;
    const cancelled = await kimi(['swarm', 'cancel', runId]);
    expect(cancelled.code, describeRun(cancelled)).toBe(0);
    expect(cancelled.stdout).toBe(`run ${runId} cancelled\n`);
    const watched = await kimi(['swarm', 'watch', runId]);
    expect(watched.code, describeRun(watched)).toBe(10);
    expect(watched.stdout).toMatch(new RegExp(`^run ${runId} cancelled, cost`, 'm'));
  }, 60_000);

  it('lists the templates', async () => {
    const listed = await kimi(['swarm', 'templates']);
    expect(listed.code, describeRun(listed)).toBe(0);
    expect(listed.stdout).toMatch(/^security-audit\s+4\s+Security audit/m);
    expect(listed.stdout).toMatch(/^release\s+1\s+Ships a release/m);
  });

  it('exits 5 for a run that does not exist', async () => {
    const run = await kimi(['swarm', 'get', 'swarm_does_not_exist']);
    expect(run.code, describeRun(run)).toBe(5);
    expect(run.stderr).toMatch(/^error NOT_FOUND: /m);
    const asJson = await kimi(['swarm', 'get', 'swarm_does_not_exist', '--json']);
    expect(asJson.code).toBe(5);
    expect(asJson.stdout).toBe('');
    expect(json<{ error: Record<string, unknown> }>(asJson.stderr).error).toMatchObject({
      code: 'NOT_FOUND',
      category: 'resources',
      exit_code: 5,
      status: 404,
    });
  });
});

describe('kimi kb', () => {
  it('creates a knowledge base, ingests two files with a line per milestone, and searches them', async () => {
    const created = await kimi(['kb', 'create', 'handbook', '--json']);
    expect(created.code, describeRun(created)).toBe(0);
    const knowledgeBaseId = json<{ id: string }>(created.stdout).id;
    const refunds = join(directory, 'refunds.md');
    const shipping = join(directory, 'shipping.txt');
    await writeFile(refunds, '# Refunds\n\nCustomers can ask for a refund within 30 days of delivery.\n');
    await writeFile(shipping, 'Shipping takes five working days within the country, ten abroad.\n');
    const ingested = await kimi(['kb', 'ingest', knowledgeBaseId, refunds, shipping]);
    expect(ingested.code, describeRun(ingested)).toBe(0);
    for (const name of ['refunds.md', 'shipping.txt']) {
      expect(ingested.stdout).toContain(`${name}: uploaded`);
      expect(ingested.stdout).toMatch(
        new RegExp(`^${name.replace('.', '\\.')}: ready \\(\\d+ chunks\\)$`, 'm'),
      );
    }
    const searched = await kimi(['kb', 'search', knowledgeBaseId, 'how long for a refund?', '--top-k', '3']);
    expect(searched.code, describeRun(searched)).toBe(0);
    expect(searched.stdout).toContain('Refunds');
    const asJson = await kimi(['kb', 'search', knowledgeBaseId, 'shipping abroad', '--json']);
    const hits = json<{ data: Array<{ text: string }> }>(asJson.stdout).data;
    expect(hits.some((hit) => hit.text.includes('ten abroad'))).toBe(true);
    const listed = await kimi(['kb', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^${knowledgeBaseId}\\s+handbook\\s+\\S+\\s+2\\s`, 'm'));
    // with --json, stdout is one JSON document and nothing else: the progress lines are not printed
    const returns = join(directory, 'returns.md');
    await writeFile(returns, '# Returns\n\nReturned items must be unused and in their original packaging.\n');
    const asDocuments = await kimi(['kb', 'ingest', knowledgeBaseId, returns, '--json']);
    expect(asDocuments.code, describeRun(asDocuments)).toBe(0);
    expect(json<Array<{ file: string; document: { status: string } }>>(asDocuments.stdout)).toEqual([
      expect.objectContaining({ file: returns, document: expect.objectContaining({ status: 'ready' }) }),
    ]);
  }, 60_000);

  it('exits 2 before uploading anything when a file is missing', async () => {
    const run = await kimi(['kb', 'ingest', 'kb_whatever', join(directory, 'missing.md')]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/^error FILE_NOT_FOUND: /m);
  });
});
