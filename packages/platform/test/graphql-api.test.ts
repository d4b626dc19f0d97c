import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, codesOf, type GraphQLAnswer } from './support/graphql-test-support.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * /graphql over real HTTP with graphql-request: the same services, permissions, validation and
 * error codes as REST. Each answer is compared with what REST answers for the same thing.
 */
let testApp: TestApp;
let tenant: { organizationId: string; keyId: string; secret: string };
let tenantAdmin: string;

async function rest(method: 'GET' | 'POST', path: string, secret: string, payload?: unknown) {
  const response = await testApp.app.inject({
    method,
    url: path,
    headers: { authorization: `Bearer ${secret}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

beforeAll(async () => {
  testApp = await startTestApp({ listen: true });
  tenant = await createTenant(testApp, { name: 'graphql tenant', role: 'developer' });
  const admin = await rest(
    'POST',
    `/v1/admin/organizations/${tenant.organizationId}/keys`,
    testApp.adminKey,
    {
      name: 'tenant admin',
      role: 'admin',
    },
  );
  tenantAdmin = admin.body.secret as string;
});

afterAll(async () => {
  await testApp?.close();
});

const onlyError = (answer: GraphQLAnswer<unknown>) => {
  expect(answer.errors, JSON.stringify(answer.errors)).toHaveLength(1);
  return answer.errors[0]!;
};

describe('GraphQL over HTTP', () => {
  it('reads the organisation and its keys with the REST fields in camelCase', async () => {
    const answer = await ask<{
      viewer: { organizationId: string; role: string; permissions: string[] };
      organization: {
        id: string;
        name: string;
        keys: { data: Array<Record<string, unknown>>; hasMore: boolean };
      };
    }>(
      testApp.baseUrl,
      tenantAdmin,
      `query Keys($limit: Int!) {
        viewer { organizationId role permissions }
        organization { id name createdAt keys(limit: $limit) { data { id name role displayPrefix createdAt revokedAt } hasMore lastId } }
      }`,
      { limit: 1 },
    );
    expect(answer.errors).toEqual([]);
    expect(answer.data?.viewer).toMatchObject({ organizationId: tenant.organizationId, role: 'admin' });
    expect(answer.data?.viewer.permissions).toContain('admin:keys');
    const restKeys = await rest(
      'GET',
      `/v1/admin/organizations/${tenant.organizationId}/keys?limit=1`,
      tenantAdmin,
    );
    const restKey = (restKeys.body.data as Array<Record<string, unknown>>)[0]!;
    expect(answer.data?.organization.keys.hasMore).toBe(restKeys.body.has_more);
    expect(answer.data?.organization.keys.data[0]).toEqual({
      id: restKey.id,
      name: restKey.name,
      role: restKey.role,
      displayPrefix: restKey.display_prefix,
      createdAt: restKey.created_at,
      revokedAt: null,
    });
  });

  it('creates a key whose secret works, and revokes it, through the admin services', async () => {
    const created = await ask<{
      createApiKey: { secret: string; apiKey: { id: string; role: string; scopes: string[] } };
    }>(
      testApp.baseUrl,
      tenantAdmin,
      `mutation Create($organizationId: ID!) {
        createApiKey(organizationId: $organizationId, input: { name: "from graphql", role: "viewer", scopes: ["usage:read"] }) {
          secret apiKey { id role scopes }
        }
      }`,
      { organizationId: tenant.organizationId },
    );
    expect(created.errors).toEqual([]);
    const { secret, apiKey } = created.data!.createApiKey;
    expect(apiKey).toMatchObject({ role: 'viewer', scopes: ['usage:read'] });
    expect((await rest('GET', '/v1/usage', secret)).status).toBe(200);
    const audit = await rest('GET', `/v1/audit?action=api_key.created&target_id=${apiKey.id}`, tenantAdmin);
    expect((audit.body.data as unknown[]).length).toBe(1);
    const revoked = await ask<{ revokeApiKey: { revokedAt: string | null } }>(
      testApp.baseUrl,
      tenantAdmin,
      `mutation { revokeApiKey(organizationId: "${tenant.organizationId}", keyId: "${apiKey.id}") { revokedAt } }`,
    );
    expect(revoked.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
    expect((await rest('GET', '/v1/usage', secret)).status).toBe(401);
  });

  it('refuses a key without admin:keys with the code and hint REST answers', async () => {
    const scoped = await rest('POST', `/v1/admin/organizations/${tenant.organizationId}/keys`, tenantAdmin, {
      name: 'usage only',
      role: 'admin',
      scopes: ['usage:read'],
    });
    const secret = scoped.body.secret as string;
    const answer = await ask(
      testApp.baseUrl,
      secret,
      `mutation { createApiKey(organizationId: "${tenant.organizationId}", input: { name: "nope" }) { secret } }`,
    );
    const error = onlyError(answer);
    expect(answer.data).toBeNull();
    const viaRest = await rest('POST', `/v1/admin/organizations/${tenant.organizationId}/keys`, secret, {
      name: 'nope',
    });
    const restError = viaRest.body.error as Record<string, unknown>;
    expect(viaRest.status).toBe(403);
    expect(error.extensions).toMatchObject({
      code: restError.code,
      type: restError.type,
      hint: restError.hint,
      status: 403,
      request_id: expect.stringMatching(/^req_/),
    });
    expect(error.extensions.hint).toContain('admin:keys');
    expect(error.path).toEqual(['createApiKey']);
  });

  it('refuses the audit log to a developer key, as REST does, and shows it to an admin', async () => {
    const developer = await ask(testApp.baseUrl, tenant.secret, '{ auditEntries(limit: 5) { data { id } } }');
    expect(codesOf(developer)).toEqual(['PERMISSION_DENIED']);
    expect((await rest('GET', '/v1/audit', tenant.secret)).status).toBe(403);
    const admin = await ask<{
      auditEntries: { data: Array<{ action: string; organizationId: string; actor: { type: string } }> };
    }>(
      testApp.baseUrl,
      tenantAdmin,
      '{ auditEntries(filter: { action: "api_key.*" }, limit: 50) { data { action organizationId actor { type } } hasMore } }',
    );
    expect(admin.errors).toEqual([]);
    expect(admin.data?.auditEntries.data.length).toBeGreaterThan(0);
    for (const entry of admin.data?.auditEntries.data ?? []) {
      expect(entry.action).toMatch(/^api_key\./);
      expect(entry.organizationId).toBe(tenant.organizationId);
    }
    const verification = await ask<{ auditVerification: { valid: boolean } }>(
      testApp.baseUrl,
      tenantAdmin,
      '{ auditVerification { valid entries firstBroken } }',
    );
    expect(verification.data?.auditVerification.valid).toBe(true);
  });

  it('aggregates usage with the same grouping and totals as GET /v1/usage', async () => {
    const chat = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${tenant.secret}` },
      payload: {
        model: 'sim/fast',
        messages: [{ role: 'user', content: 'Count to three.' }],
        max_tokens: 16,
      },
    });
    expect(chat.statusCode, chat.body).toBe(200);
    const viaRest = await rest('GET', '/v1/usage?group_by=key', tenant.secret);
    const answer = await ask<{
      usage: { groupBy: string; data: Array<Record<string, unknown>>; totals: Record<string, unknown> };
    }>(
      testApp.baseUrl,
      tenant.secret,
      '{ usage(groupBy: key) { organizationId groupBy data { group requests promptTokens completionTokens costUsd } totals { requests promptTokens costUsd cacheWrite1hTokens } } }',
    );
    expect(answer.errors).toEqual([]);
    const totals = viaRest.body.totals as Record<string, unknown>;
    const rows = viaRest.body.data as Array<Record<string, unknown>>;
    expect(answer.data?.usage.groupBy).toBe('key');
    expect(answer.data?.usage.totals).toEqual({
      requests: totals.requests,
      promptTokens: totals.prompt_tokens,
      costUsd: totals.cost_usd,
      cacheWrite1hTokens: totals.cache_write_1h_tokens,
    });
    expect(answer.data?.usage.data.map((row) => row.group)).toEqual(rows.map((row) => row.group));
    expect(answer.data?.usage.data).toContainEqual(
      expect.objectContaining({ group: tenant.keyId, requests: 1 }),
    );
    const refused = await ask(testApp.baseUrl, tenant.secret, '{ usage(from: "yesterday") { groupBy } }');
    expect(onlyError(refused).extensions).toMatchObject({ code: 'INVALID_REQUEST', param: 'from' });
  });

  it('manages teams and budgets, naming a bad field as the GraphQL input names it', async () => {
    const organizationId = tenant.organizationId;
    const team = await ask<{ createTeam: { id: string; name: string; metadata: unknown } }>(
      testApp.baseUrl,
      tenantAdmin,
      `mutation { createTeam(organizationId: "${organizationId}", input: { name: "platform", metadata: { cost_center: "42" } }) { id name metadata } }`,
    );
    expect(team.errors).toEqual([]);
    expect(team.data?.createTeam).toMatchObject({ name: 'platform', metadata: { cost_center: '42' } });
    const budget = await ask<{
      createBudget: { limitUsd: string; period: string; currentPeriod: { key: string }; spentUsd: string };
    }>(
      testApp.baseUrl,
      tenantAdmin,
      `mutation { createBudget(organizationId: "${organizationId}", input: { scope: team, subject: "${team.data?.createTeam.id}", limitUsd: "25", period: month, alertThresholds: [90, 50] }) { limitUsd period alertThresholds currentPeriod { key } spentUsd } }`,
    );
    expect(budget.errors).toEqual([]);
    expect(budget.data?.createBudget).toMatchObject({
      limitUsd: '25',
      period: 'month',
      alertThresholds: [50, 90],
    });
    const listed = await ask<{
      organization: { budgets: { data: Array<{ scope: string }> }; teams: { data: Array<{ id: string }> } };
    }>(
      testApp.baseUrl,
      tenantAdmin,
      '{ organization { budgets(scope: team) { data { scope subject } } teams { data { id name memberIds } } } }',
    );
    expect(listed.data?.organization.budgets.data).toEqual([
      { scope: 'team', subject: team.data?.createTeam.id },
    ]);
    const badInvitation = await ask(
      testApp.baseUrl,
      tenantAdmin,
      `mutation { createInvitation(organizationId: "${organizationId}", input: { email: "not an address" }) { token } }`,
    );
    expect(onlyError(badInvitation).extensions).toMatchObject({
      code: 'INVALID_REQUEST',
      param: 'input.email',
    });
    const badKey = await ask(
      testApp.baseUrl,
      tenantAdmin,
      `mutation { createApiKey(organizationId: "${organizationId}", input: { name: "x", allowedModels: [""] }) { secret } }`,
    );
    expect(onlyError(badKey).extensions).toMatchObject({
      code: 'INVALID_REQUEST',
      param: 'input.allowedModels[0]',
    });
  });

  it('creates a knowledge base, ingests a document and searches it', async () => {
    const created = await ask<{
      createKnowledgeBase: { id: string; embeddingModel: string; chunking: { maxTokens: number } };
    }>(
      testApp.baseUrl,
      tenant.secret,
      'mutation { createKnowledgeBase(input: { name: "manuals", chunking: { maxTokens: 64, overlapTokens: 8 } }) { id embeddingModel chunking { maxTokens overlapTokens } } }',
    );
    expect(created.errors).toEqual([]);
    const id = created.data!.createKnowledgeBase.id;
    expect(created.data?.createKnowledgeBase.chunking.maxTokens).toBe(64);
    const upload = await ask<{
      addKnowledgeDocuments: { settled: boolean; documents: Array<{ status: string }> };
    }>(
      testApp.baseUrl,
      tenant.secret,
      `mutation Add($id: ID!) { addKnowledgeDocuments(id: $id, waitSeconds: 30, documents: [{ title: "Turbines", text: "The turbine blades are inspected every month.", metadata: { kind: "manual" } }]) { settled documents { id status chunkCount } } }`,
      { id },
    );
    expect(upload.errors).toEqual([]);
    expect(upload.data?.addKnowledgeDocuments.settled).toBe(true);
    expect(upload.data?.addKnowledgeDocuments.documents[0]?.status).toBe('ready');
    const found = await ask<{
      knowledgeBase: {
        documentCount: number;
        search: { mode: string; data: Array<{ title: string; text: string }> };
      };
    }>(
      testApp.baseUrl,
      tenant.secret,
      `{ knowledgeBase(id: "${id}") { documentCount documents { data { title status } } search(query: "turbine blades", topK: 3, mode: "keyword") { mode data { title text score } } } }`,
    );
    expect(found.errors).toEqual([]);
    expect(found.data?.knowledgeBase.documentCount).toBe(1);
    expect(found.data?.knowledgeBase.search.data[0]).toMatchObject({ title: 'Turbines' });
    const badSearch = await ask(
      testApp.baseUrl,
      tenant.secret,
      `{ knowledgeBase(id: "${id}") { search(query: "x", topK: 1000) { mode } } }`,
    );
    expect(onlyError(badSearch).extensions).toMatchObject({ code: 'INVALID_REQUEST', param: 'topK' });
  });

  it('answers GET queries, refuses mutations over GET, and refuses a bad key as REST does', async () => {
    const query = encodeURIComponent('{ viewer { role } }');
    const get = await fetch(`${testApp.baseUrl}/graphql?query=${query}`, {
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { viewer: { role: 'developer' } } });
    const mutation = encodeURIComponent(`mutation { deleteKnowledgeBase(id: "kb_x") { id } }`);
    const refused = await fetch(`${testApp.baseUrl}/graphql?query=${mutation}`, {
      headers: { authorization: `Bearer ${tenant.secret}` },
    });
    const body = (await refused.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badKey = await fetch(`${testApp.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-kimi-not-a-key', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    const restBadKey = await fetch(`${testApp.baseUrl}/v1/models`, {
      headers: { authorization: 'Bearer sk-kimi-not-a-key' },
    });
    expect(badKey.status).toBe(401);
    expect(((await badKey.json()) as { error: { code: string } }).error.code).toBe(
      ((await restBadKey.json()) as { error: { code: string } }).error.code,
    );
    const batch = await fetch(`${testApp.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ viewer { role } }' }]),
    });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
  });

  it('refuses a subscription over HTTP, pointing at the WebSocket', async () => {
    for (const accept of ['application/json', 'text/event-stream']) {
      const response = await fetch(`${testApp.baseUrl}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: 'subscription { usage { groupBy } }' }),
      });
      const text = await response.text();
      expect(text, accept).toContain('SUBSCRIPTION_REQUIRES_WEBSOCKET');
      expect(text).not.toContain('"groupBy"');
    }
  });

  it('names unknown fields and syntax errors with coded errors, and keeps introspection on', async () => {
    const unknown = await ask(testApp.baseUrl, tenant.secret, '{ viewer { password } }');
    expect(onlyError(unknown).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', status: 400 });
    const syntax = await ask(testApp.baseUrl, tenant.secret, '{ viewer { role }');
    expect(onlyError(syntax).extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', param: 'query' });
    // GraphQL over HTTP: a refused document is 400 under application/graphql-response+json, 200 under application/json.
    for (const [accept, status] of [
      ['application/graphql-response+json', 400],
      ['application/json', 200],
    ] as const) {
      const response = await fetch(`${testApp.baseUrl}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: '{ viewer { password } }' }),
      });
      const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
      expect(response.status, accept).toBe(status);
      expect(body.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors[0]?.extensions).not.toHaveProperty('http');
    }
    const introspection = await ask<{ __schema: { queryType: { name: string } } }>(
      testApp.baseUrl,
      tenant.secret,
      '{ __schema { queryType { name } types { name fields { name type { name kind ofType { name kind ofType { name kind } } } } } } }',
    );
    expect(introspection.errors).toEqual([]);
    expect(introspection.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('GraphQL limits', () => {
  it('refuses an over-deep query with QUERY_TOO_DEEP, before validation', async () => {
    const deep = '{ organization { keys { data { a { b { c { d { e { f } } } } } } } } }';
    const answer = await ask(testApp.baseUrl, tenantAdmin, deep);
    expect(onlyError(answer).extensions).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      param: 'query',
      status: 400,
    });
    expect(onlyError(answer).message).toContain('depth limit is 8');
    // graphql-request asks for application/graphql-response+json: a refused document is a 400 there.
    expect(answer.status).toBe(400);
  });

  it('refuses an over-costly query with QUERY_TOO_COSTLY, counting limits given as variables', async () => {
    const costly = `query Costly($limit: Int!) { organizations(limit: $limit) { data { keys(limit: $limit) { data { id name role } } } } }`;
    const answer = await ask(testApp.baseUrl, testApp.adminKey, costly, { limit: 200 });
    expect(onlyError(answer).extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', param: 'query' });
    expect(onlyError(answer).message).toContain('cost limit is 5000');
    const cheap = await ask(testApp.baseUrl, testApp.adminKey, costly, { limit: 5 });
    expect(cheap.errors).toEqual([]);
  });

  it('refuses too many aliases and over-long documents', async () => {
    const aliases = Array.from({ length: 21 }, (_, index) => `v${index}: viewer { role }`).join(' ');
    const answer = await ask(testApp.baseUrl, tenant.secret, `{ ${aliases} }`);
    expect(onlyError(answer).extensions).toMatchObject({ code: 'QUERY_TOO_MANY_ALIASES' });
    const tokens = `{ ${Array.from({ length: 1500 }, () => 'viewer { role }').join(' ')} }`;
    const tooManyTokens = await ask(testApp.baseUrl, tenant.secret, tokens);
    expect(onlyError(tooManyTokens).extensions).toMatchObject({ code: 'QUERY_TOO_LARGE' });
    expect(onlyError(tooManyTokens).message).toContain('token limit is 5000');
    // Past the length limit the request is refused before GraphQL reads it, in the REST shape.
    const tooLong = await fetch(`${testApp.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ viewer { role } }${' '.repeat(40_000)}` }),
    });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { code: string } }).error.code).toBe('QUERY_TOO_LARGE');
  });
});
