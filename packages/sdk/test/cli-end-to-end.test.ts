import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool, ToolResolver } from '../../platform/src/agents/index.ts';
import { startTestApp, type TestApp } from '../../platform/test/support/test-app.ts';
import { describeRun, type KimiRunOptions, runKimi } from './cli-support.ts';

/**
 * The `kimi` binary end to end: each test spawns `node bin/kimi.js` against a real platform
 * (PGlite, the simulated models) listening on a local port, with its profiles in a temporary
 * KIMI_CONFIG_DIR. The CLI is logged in once, by `kimi login`, and later commands use that profile.
 */
let testApp: TestApp;
let directory: string;
let configDirectory: string;

/** Every tool a template names answers offline, so no swarm run reaches the network; `deploy` needs approval. */
const offlineTools: ToolResolver = {
  async resolve(_organizationId, names) {
    return names.map(
      (name): Tool => ({
        definition: {
          name,
          description: `${name} (offline)`,
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
          // `deploy` waits for a person's approval, for `kimi swarm approve`
          ...(name === 'deploy' ? { needsApproval: true } : {}),
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
  directory = await mkdtemp(join(tmpdir(), 'kimi-cli-e2e-'));
  configDirectory = join(directory, 'config');
});

afterAll(async () => {
  await testApp?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** The binary with this suite's profiles (and no key from the environment unless given). */
const kimi = (args: readonly string[], options: KimiRunOptions = {}) =>
  runKimi(args, { ...options, environment: { KIMI_CONFIG_DIR: configDirectory, ...options.environment } });

const json = <Value>(text: string): Value => JSON.parse(text) as Value;

describe('kimi login and profiles', () => {
  it('checks the key, then saves the profile in a 0600 file in a 0700 directory', async () => {
    const run = await kimi([
      'login',
      '--profile',
      'local',
      '--base-url',
      testApp.baseUrl,
      '--api-key',
      testApp.adminKey,
    ]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain(`Logged in to ${testApp.baseUrl}`);
    expect(run.stdout).not.toContain(testApp.adminKey);
    const path = join(configDirectory, 'config.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(configDirectory)).mode & 0o777).toBe(0o700);
    const config = json<{
      current_profile: string;
      profiles: Record<string, { api_key: string; base_url: string }>;
    }>(await readFile(path, 'utf8'));
    expect(config.current_profile).toBe('local');
    expect(config.profiles.local).toMatchObject({ api_key: testApp.adminKey, base_url: testApp.baseUrl });
  });

  it('reads the key from stdin, and refuses a wrong key with exit 3 without saving it', async () => {
    const piped = await kimi(['login', '--profile', 'piped', '--base-url', testApp.baseUrl, '--json'], {
      input: `${testApp.adminKey}\n`,
    });
    expect(piped.code, describeRun(piped)).toBe(0);
    expect(json<{ profile: string; organization_id: string }>(piped.stdout)).toMatchObject({
      profile: 'piped',
      organization_id: testApp.organizationId,
    });
    const wrong = await kimi(['login', '--profile', 'wrong', '--base-url', testApp.baseUrl], {
      input: `sk-kimi-wrong-${'y'.repeat(32)}\n`,
    });
    expect(wrong.code, describeRun(wrong)).toBe(3);
    expect(wrong.stderr).toMatch(/^error API_KEY_INVALID: /m);
    expect(wrong.stdout).toBe('');
    const listed = await kimi(['profiles', 'list', '--json']);
    const profiles = json<{ profiles: Array<{ name: string; api_key: string }> }>(listed.stdout).profiles;
    expect(profiles.map((profile) => profile.name).sort()).toEqual(['local', 'piped']);
    expect(listed.stdout).not.toContain(testApp.adminKey);
    // the last login made 'piped' current; switch back for the rest of the suite
    expect((await kimi(['profiles', 'use', 'local'])).code).toBe(0);
  });

  it('exits 3 for a bad key given by flag or KIMI_API_KEY, naming the code on stderr', async () => {
    const bad = `sk-kimi-bad-${'z'.repeat(32)}`;
    for (const run of [
      await kimi(['models', '--api-key', bad]),
      await kimi(['models'], { environment: { KIMI_API_KEY: bad } }),
    ]) {
      expect(run.code, describeRun(run)).toBe(3);
      expect(run.stderr).toMatch(/^error API_KEY_INVALID: .+\nhint: .+/m);
    }
  });
});

describe('kimi models and chat', () => {
  it('lists the models as a table, and as JSON with --json', async () => {
    const table = await kimi(['models']);
    expect(table.code, describeRun(table)).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+PROVIDER/);
    expect(table.stdout).toMatch(/^sim\/fast\s+sim\s/m);
    const listed = await kimi(['models', '--json']);
    const models = json<Array<{ id: string }>>(listed.stdout);
    expect(models.map((model) => model.id)).toContain('sim/fast');
  });

  it('streams the answer to stdout: the same text the platform answers, in several chunks', async () => {
    const prompt = 'Name three uses of a circuit breaker';
    const expected = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${testApp.adminKey}`, 'content-type': 'application/json' },
      payload: { model: 'sim/fast', messages: [{ role: 'user', content: prompt }] },
    });
    const answer = expected.json<{ choices: Array<{ message: { content: string } }> }>().choices[0]!.message
      .content;
    expect(answer.length).toBeGreaterThan(0);
    const streamed = await kimi(['chat', '--model', 'sim/fast', prompt]);
    expect(streamed.code, describeRun(streamed)).toBe(0);
    expect(streamed.stdout.trimEnd()).toBe(answer.trimEnd());
    const chunks = await kimi(['chat', '--model', 'sim/fast', '--json', prompt]);
    const lines = chunks.stdout
      .trim()
      .split('\n')
      .map((line) => json<{ object: string; choices: unknown[] }>(line));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((line) => line.object === 'chat.completion.chunk')).toBe(true);
    const fromStdin = await kimi(['chat', '--model', 'sim/fast', '--no-stream'], { input: prompt });
    expect(fromStdin.code, describeRun(fromStdin)).toBe(0);
    expect(fromStdin.stdout.trimEnd()).toBe(answer.trimEnd());
  });

  it('exits 2 for bad flags and a missing prompt, 4 for a model the platform refuses', async () => {
    const unknownFlag = await kimi(['chat', '--bogus', 'hi']);
    expect(unknownFlag.code, describeRun(unknownFlag)).toBe(2);
    expect(unknownFlag.stderr).toMatch(/^error USAGE_ERROR: unknown option '--bogus'/m);
    const badNumber = await kimi(['chat', '--max-tokens', 'many', 'hi']);
    expect(badNumber.code, describeRun(badNumber)).toBe(2);
    const unknownCommand = await kimi(['chta']);
    expect(unknownCommand.code, describeRun(unknownCommand)).toBe(2);
    const badModel = await kimi(['chat', '--model', 'sim/no-such-model', 'hi']);
    expect([4, 5], describeRun(badModel)).toContain(badModel.code);
    expect(badModel.stderr).toMatch(/^error MODEL_NOT_FOUND: /m);
  });
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

  it('exits 5 for a run that does not exist', async () => {
    const run = await kimi(['swarm', 'get', 'swarm_does_not_exist']);
    expect(run.code, describeRun(run)).toBe(5);
    expect(run.stderr).toMatch(/^error NOT_FOUND: /m);
    const asJson = await kimi(['swarm', 'get', 'swarm_does_not_exist', '--json']);
    expect(asJson.code).toBe(5);
    expect(asJson.stdout).toBe('');
    expect(json<{ error: { code: string } }>(asJson.stderr).error.code).toBe('NOT_FOUND');
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

describe('kimi keys', () => {
  it('creates a key (secret shown once), lists it, revokes it, and the revoked key exits 3', async () => {
    const created = await kimi(['keys', 'create', '--name', 'ci', '--role', 'developer', '--json']);
    expect(created.code, describeRun(created)).toBe(0);
    const key = json<{ id: string; secret: string }>(created.stdout);
    expect(key.secret).toMatch(/^sk-kimi-/);
    const works = await kimi(['models', '--api-key', key.secret]);
    expect(works.code, describeRun(works)).toBe(0);
    const listed = await kimi(['keys', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^${key.id}\\s+ci\\s+developer`, 'm'));
    expect(listed.stdout).not.toContain(key.secret);
    const revoked = await kimi(['keys', 'revoke', key.id]);
    expect(revoked.code, describeRun(revoked)).toBe(0);
    expect((await kimi(['keys', 'list'])).stdout).not.toContain(key.id);
    expect((await kimi(['keys', 'list', '--all'])).stdout).toContain(key.id);
    const refused = await kimi(['models', '--api-key', key.secret]);
    expect(refused.code, describeRun(refused)).toBe(3);
  });

  it('rotates a key: the new secret is printed once', async () => {
    const created = json<{ id: string; secret: string }>(
      (await kimi(['keys', 'create', '--name', 'rotating', '--json'])).stdout,
    );
    const rotated = await kimi(['keys', 'rotate', created.id, '--grace-period', '0']);
    expect(rotated.code, describeRun(rotated)).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(rotated.stdout)?.[1];
    expect(secret).toMatch(/^sk-kimi-/);
    expect(secret).not.toBe(created.secret);
    expect(rotated.stdout).toContain('shown once');
  });
});

describe('kimi usage and audit', () => {
  it('shows usage as a table with totals and a sparkline per day, and as the API JSON', async () => {
    const table = await kimi(['usage']);
    expect(table.code, describeRun(table)).toBe(0);
    expect(table.stdout).toMatch(/^MODEL\s+REQUESTS\s+FAILED/m);
    expect(table.stdout).toMatch(/^sim\/fast\s+\d+/m);
    expect(table.stdout).toMatch(/^total\s+\d+/m);
    expect(table.stdout).toMatch(/^requests {2}[ ▁▂▃▄▅▆▇█]{30,31} {2}max \d+$/m);
    const report = json<{ group_by: string; totals: { requests: number }; data: Array<{ group: string }> }>(
      (await kimi(['usage', '--json', '--group-by', 'day'])).stdout,
    );
    expect(report.group_by).toBe('day');
    expect(report.totals.requests).toBeGreaterThan(0);
    expect(report.data[0]?.group).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const badDate = await kimi(['usage', '--from', 'yesterday']);
    expect(badDate.code, describeRun(badDate)).toBe(4);
    const badGroup = await kimi(['usage', '--group-by', 'week']);
    expect(badGroup.code, describeRun(badGroup)).toBe(2);
  });

  it('verifies the audit chain (exit 0), and exits 10 once an entry was altered', async () => {
    const intact = await kimi(['audit', 'verify']);
    expect(intact.code, describeRun(intact)).toBe(0);
    expect(intact.stdout).toMatch(/^audit log intact: \d+ entries verified$/m);
    const entry = await testApp.database.query<{ id: string }>(
      "SELECT id::text AS id FROM audit_log WHERE action = 'api_key.created' ORDER BY id LIMIT 1",
    );
    const target = entry.rows[0]!.id;
    await testApp.database.transaction(async (transaction) => {
      await transaction.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await transaction.query(`UPDATE audit_log SET after = '{"name":"forged"}'::jsonb WHERE id = $1`, [
        target,
      ]);
      await transaction.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only');
    });
    const broken = await kimi(['audit', 'verify', '--json']);
    expect(broken.code, describeRun(broken)).toBe(10);
    expect(json<{ valid: boolean }>(broken.stdout).valid).toBe(false);
  });
});
