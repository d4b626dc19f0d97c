import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kimi } from '../src/index.ts';
import { availableBackends, createTenant, type RunningPlatform, startPlatform } from './support/platform.ts';

/**
 * The SDK against the real platform over loopback HTTP: identity, models, chat (plain, streamed,
 * batched), embeddings, usage, health, metrics, the audit log and API key administration.
 */
const backends = await availableBackends();

describe.each(backends)('the Kimi client (%s)', (backend) => {
  let platform: RunningPlatform;
  let kimi: Kimi;
  let admin: Kimi;
  let organizationId: string;

  beforeAll(async () => {
    platform = await startPlatform(backend);
    const tenant = await createTenant(platform.testApp, { name: 'sdk tenant', role: 'admin' });
    organizationId = tenant.organizationId;
    kimi = new Kimi({ apiKey: tenant.secret, baseUrl: platform.testApp.baseUrl, maxRetries: 0 });
    admin = new Kimi({ apiKey: platform.testApp.adminKey, baseUrl: platform.testApp.baseUrl, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('says who the key is', async () => {
    const me = await kimi.me();
    expect(me).toMatchObject({ object: 'caller', organization_id: organizationId, role: 'admin' });
    expect(me.permissions).toContain('models:invoke');
  });

  it('lists the models', async () => {
    const models = await kimi.models.list();
    expect(models.map((model) => model.id)).toContain('sim/fast');
  });

  it('creates a chat completion', async () => {
    const completion = await kimi.chat.create({
      model: 'sim/fast',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams a chat completion chunk by chunk, with the final usage', async () => {
    const request = {
      model: 'sim/fast',
      messages: [{ role: 'user' as const, content: 'Tell a story' }],
      seed: 7,
    };
    const stream = kimi.chat.stream(request);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(stream.finalUsage?.completion_tokens).toBeGreaterThan(0);
    const streamedText = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    const again = kimi.chat.stream(request);
    expect(await again.text()).toBe(streamedText);
    expect(streamedText.length).toBeGreaterThan(0);
  });

  it('runs a batch of chat completions, each with its own status', async () => {
    const result = await kimi.chat.batch([
      { model: 'sim/fast', messages: [{ role: 'user', content: 'one' }] },
      { model: 'sim/no-such-model', messages: [{ role: 'user', content: 'two' }] },
    ]);
    expect(result.object).toBe('batch.chat.completion');
    expect(result.data.map((item) => item.status)).toEqual([200, 404]);
    expect(result).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('creates embeddings', async () => {
    const models = await kimi.models.list();
    const embeddingModel = models.find((model) => /embed/.test(model.id))?.id ?? 'sim/embed';
    const response = await kimi.embeddings.create({ model: embeddingModel, input: ['alpha', 'beta'] });
    expect(response.data).toHaveLength(2);
    expect(Array.isArray(response.data[0]?.embedding)).toBe(true);
    expect((response.data[0]?.embedding as number[] | undefined)?.length).toBeGreaterThan(0);
  });

  it('reads the usage the calls above recorded', async () => {
    const report = await kimi.usage.get({ group_by: 'model' });
    expect(JSON.stringify(report)).toContain('sim/fast');
  });

  it('checks health and reads metrics without a valid key', async () => {
    const anonymous = new Kimi({ apiKey: 'sk-kimi-not-a-key', baseUrl: platform.testApp.baseUrl });
    const health = await anonymous.health.check();
    expect(health).toMatchObject({ live: true, ready: true });
    const metrics = await anonymous.metrics.get();
    expect(metrics).toMatch(/^# (HELP|TYPE) /m);
  });

  it('creates, lists, rotates and revokes API keys, and the audit chain verifies', async () => {
    const created = await kimi.admin.keys.create(organizationId, { name: 'sdk made', role: 'member' });
    expect(created.secret).toMatch(/^sk-kimi-/);
    const made = new Kimi({ apiKey: created.secret, baseUrl: platform.testApp.baseUrl, maxRetries: 0 });
    expect((await made.me()).api_key.id).toBe(created.id);

    const listed = await kimi.admin.keys.list(organizationId);
    expect(listed.data.map((key) => key.id)).toContain(created.id);

    const rotated = await kimi.admin.keys.rotate(organizationId, created.id, { grace_period_seconds: 0 });
    expect(rotated.secret).not.toBe(created.secret);
    const renewed = new Kimi({ apiKey: rotated.secret, baseUrl: platform.testApp.baseUrl, maxRetries: 0 });
    expect((await renewed.me()).api_key.id).toBe(created.id);
    await expect(made.me()).rejects.toMatchObject({ name: 'InvalidAPIKeyError', status: 401 });

    const revoked = await kimi.admin.keys.revoke(organizationId, created.id);
    expect(revoked.id).toBe(created.id);
    await expect(renewed.me()).rejects.toMatchObject({ code: 'API_KEY_REVOKED' });
    const withRevoked = await kimi.admin.keys.list(organizationId, { include_revoked: true });
    expect(withRevoked.data.map((key) => key.id)).toContain(created.id);

    const entries = await kimi.audit.list({ limit: 100 });
    expect(JSON.stringify(entries.data)).toContain(created.id);
    const verification = await admin.audit.verify();
    expect(verification.valid).toBe(true);
    const exported = await kimi.audit.export();
    expect(exported).toContain(created.id);
  });

  it('administers organizations as the platform admin', async () => {
    const created = await admin.admin.organizations.create({ name: 'made by the sdk' });
    const listed = await admin.admin.organizations.list({ limit: 100 });
    expect(listed.data.map((organization) => organization.id)).toContain(created.id);
    expect((await admin.admin.organizations.get(created.id)).name).toBe('made by the sdk');
    await admin.admin.rateLimits.set(created.id, { requests_per_minute: 1000 });
    expect(await admin.admin.rateLimits.get(created.id)).toMatchObject({ requests_per_minute: 1000 });
  });

  it("administers an organisation's teams, invitations, members and budgets", async () => {
    const team = await kimi.admin.teams.create(organizationId, { name: 'platform team' });
    expect((await kimi.admin.teams.get(organizationId, team.id as string)).name).toBe('platform team');
    const renamed = await kimi.admin.teams.update(organizationId, team.id as string, { name: 'core team' });
    expect(renamed.name).toBe('core team');
    expect((await kimi.admin.teams.list(organizationId)).data.map((item) => item.id)).toContain(team.id);

    const invitation = await kimi.admin.invitations.create(organizationId, { email: 'ada@example.com' });
    expect((await kimi.admin.invitations.list(organizationId)).data.map((item) => item.id)).toContain(
      invitation.id,
    );
    await kimi.admin.invitations.delete(organizationId, invitation.id as string);

    const members = await kimi.admin.members.list(organizationId);
    expect(Array.isArray(members.data)).toBe(true);

    const budget = await kimi.admin.budgets.create(organizationId, {
      scope: 'organization',
      limit_usd: 100,
      period: 'month',
    });
    expect((await kimi.admin.budgets.get(organizationId, budget.id as string)).id).toBe(budget.id);
    await kimi.admin.budgets.update(organizationId, budget.id as string, { limit_usd: 200 });
    expect((await kimi.admin.budgets.list(organizationId)).data.map((item) => item.id)).toContain(budget.id);
    await kimi.admin.budgets.delete(organizationId, budget.id as string);
    expect(Array.isArray((await kimi.admin.budgets.alerts(organizationId)).data)).toBe(true);
    await kimi.admin.teams.delete(organizationId, team.id as string);
    await expect(kimi.admin.teams.get(organizationId, team.id as string)).rejects.toMatchObject({
      name: 'NotFoundError',
    });

    const plans = await admin.admin.plans.list();
    expect(Array.isArray(plans.data)).toBe(true);
    expect(await kimi.admin.plans.ofOrganization(organizationId)).toBeTypeOf('object');
  });
});
