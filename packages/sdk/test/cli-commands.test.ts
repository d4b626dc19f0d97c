import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliPlatform, describeRun, json, startCliPlatform } from './cli-support.ts';

/**
 * The `kimi` binary end to end, part 1 (profiles, models, chat, keys, usage, audit): each test
 * spawns `node bin/kimi.js` against a real platform (PGlite, the simulated models) listening on a
 * local port, with its profiles in a temporary KIMI_CONFIG_DIR. The CLI is logged in by the first
 * test, with `kimi login`, and later commands use that profile.
 */
let platform: CliPlatform;
let testApp: CliPlatform['testApp'];
let configDirectory: string;
const kimi: CliPlatform['kimi'] = (args, options) => platform.kimi(args, options);

beforeAll(async () => {
  platform = await startCliPlatform();
  testApp = platform.testApp;
  configDirectory = platform.configDirectory;
});

afterAll(async () => {
  await platform?.close();
});

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
    const removed = await kimi(['logout', '--profile', 'piped']);
    expect(removed.code, describeRun(removed)).toBe(0);
    const left = json<{ current_profile: string; profiles: Array<{ name: string }> }>(
      (await kimi(['profiles', 'list', '--json'])).stdout,
    );
    expect(left).toMatchObject({ current_profile: 'local', profiles: [{ name: 'local' }] });
    const unknown = await kimi(['models', '--profile', 'piped']);
    expect(unknown.code, describeRun(unknown)).toBe(2);
    expect(unknown.stderr).toMatch(/^error PROFILE_NOT_FOUND: /m);
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
    const noPrompt = await kimi(['chat', '--model', 'sim/fast'], { input: '' });
    expect(noPrompt.code, describeRun(noPrompt)).toBe(2);
    expect(noPrompt.stderr).toMatch(/^error USAGE_ERROR: The prompt on stdin is empty\./m);
    const unknownCommand = await kimi(['chta']);
    expect(unknownCommand.code, describeRun(unknownCommand)).toBe(2);
    const badModel = await kimi(['chat', '--model', 'sim/no-such-model', 'hi']);
    expect([4, 5], describeRun(badModel)).toContain(badModel.code);
    expect(badModel.stderr).toMatch(/^error MODEL_NOT_FOUND: /m);
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
