import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateResolver } from '../src/agents/templates/index.ts';
import { startHttpMcpServer } from './support/mcp-test-server.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

const usePostgres = await postgresAvailable();
const fixture = fileURLToPath(new URL('./support/mcp-stdio-server.fixture.ts', import.meta.url));

let temporary: TemporaryDatabase | undefined;
let testApp: TestApp;
let tenant: { organizationId: string; admin: string; member: string };
let mcp: Awaited<ReturnType<typeof startHttpMcpServer>>;

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

beforeAll(async () => {
  temporary = usePostgres ? await createTemporaryDatabase() : undefined;
  testApp = await startTestApp({
    ...(temporary ? { databaseUrl: temporary.url } : {}),
    config: {
      tools: {
        mcp_stdio_servers: [
          { name: 'everyone', command: process.execPath, args: ['--import', 'tsx', fixture] },
          {
            name: 'vip-only',
            command: process.execPath,
            args: ['--import', 'tsx', fixture],
            organizations: ['org_x'],
          },
        ],
      },
    },
  });
  const admin = await createTenant(testApp, { name: 'tools tenant', role: 'admin' });
  const memberKey = await testApp.app.inject({
    method: 'POST',
    url: `/v1/admin/organizations/${admin.organizationId}/keys`,
    headers: as(testApp.adminKey),
    payload: { name: 'member', role: 'member' },
  });
  tenant = { organizationId: admin.organizationId, admin: admin.secret, member: memberKey.json().secret };
  mcp = await startHttpMcpServer();
});

afterAll(async () => {
  await testApp?.close();
  await mcp?.close();
  await temporary?.drop();
});

const weather = {
  name: 'weather',
  description: 'The forecast for a city.',
  url: 'https://weather.example.com/tool',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  needs_approval: true,
};

describe(`agent tools API (${usePostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists the built-in tools to every key', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/v1/tools',
      headers: as(tenant.member),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.map((tool: { name: string }) => tool.name)).toEqual([
      'calculator',
      'current_time',
      'http_get',
      'knowledge_search',
    ]);
    const one = await testApp.app.inject({
      method: 'GET',
      url: '/v1/tools/calculator',
      headers: as(tenant.member),
    });
    expect(one.json()).toMatchObject({ object: 'tool', name: 'calculator', source: 'built-in' });
  });

  it('registers HTTP tools (admin only), showing the secret once and naming bad fields', async () => {
    const post = (secret: string, payload: Record<string, unknown>) =>
      testApp.app.inject({ method: 'POST', url: '/v1/tools', headers: as(secret), payload });

    expect((await post(tenant.member, weather)).statusCode).toBe(403);
    for (const [payload, param, message] of [
      [
        { ...weather, parameters: { type: 'object', properties: { city: { type: 'txt' } } } },
        'parameters',
        /not a valid JSON schema/,
      ],
      [{ ...weather, parameters: { type: 'array' } }, 'parameters', /must describe an object/],
      [{ ...weather, name: 'http_get' }, 'name', /built-in tool/],
      [{ ...weather, name: 'bad__name' }, 'name', /single underscores/],
      [{ ...weather, url: 'http://127.0.0.1:9/tool' }, 'url', /https:\/\//],
      [{ ...weather, url: 'ftp://example.com/x' }, 'url', /https:\/\//],
      [{ ...weather, extra: 1 }, 'extra', /Unrecognized/],
    ] as const) {
      const response = await post(tenant.admin, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ param, message: expect.stringMatching(message) });
    }

    const created = await post(tenant.admin, weather);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      object: 'tool',
      name: 'weather',
      source: 'http',
      needs_approval: true,
    });
    expect(created.json().secret).toMatch(/^tsec_[0-9A-Za-z]{32}$/);
    expect((await post(tenant.admin, weather)).statusCode).toBe(409);

    const read = await testApp.app.inject({
      method: 'GET',
      url: '/v1/tools/weather',
      headers: as(tenant.member),
    });
    expect(read.json()).toMatchObject({ name: 'weather', url: weather.url });
    expect(read.body).not.toContain('tsec_');
    const list = await testApp.app.inject({ method: 'GET', url: '/v1/tools', headers: as(tenant.member) });
    expect(list.json().data.map((tool: { name: string }) => tool.name)).toContain('weather');

    const builtIn = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/tools/calculator',
      headers: as(tenant.admin),
    });
    expect(builtIn.statusCode).toBe(400);
    const deleted = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/tools/weather',
      headers: as(tenant.admin),
    });
    expect(deleted.json()).toEqual({ object: 'tool.deleted', name: 'weather', deleted: true });
    const gone = await testApp.app.inject({
      method: 'GET',
      url: '/v1/tools/weather',
      headers: as(tenant.admin),
    });
    expect(gone.statusCode).toBe(404);
  });

  it('lets only the platform admin allowlist non-public destinations', async () => {
    const url = `/v1/admin/organizations/${tenant.organizationId}/tool-network-allowlist`;
    const byTenant = await testApp.app.inject({
      method: 'PUT',
      url,
      headers: as(tenant.admin),
      payload: { entries: ['127.0.0.1'] },
    });
    expect(byTenant.statusCode).toBe(403);
    const bad = await testApp.app.inject({
      method: 'PUT',
      url,
      headers: as(testApp.adminKey),
      payload: { entries: ['10.0.0.0/8', '10.0.0.0/40'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('entries[1]');
    const set = await testApp.app.inject({
      method: 'PUT',
      url,
      headers: as(testApp.adminKey),
      payload: { entries: ['127.0.0.1', '*.corp.example'] },
    });
    expect(set.json()).toMatchObject({ entries: ['127.0.0.1', '*.corp.example'] });
    const read = await testApp.app.inject({ method: 'GET', url, headers: as(tenant.admin) });
    expect(read.json().entries).toEqual(['127.0.0.1', '*.corp.example']);
    const local = await testApp.app.inject({
      method: 'POST',
      url: '/v1/tools',
      headers: as(tenant.admin),
      payload: { ...weather, name: 'local_weather', url: 'http://127.0.0.1:9/tool' },
    });
    expect(local.statusCode).toBe(201);
  });

  it('registers MCP servers: streamable HTTP by URL, stdio only as the operator allows', async () => {
    const post = (payload: Record<string, unknown>) =>
      testApp.app.inject({ method: 'POST', url: '/v1/mcp-servers', headers: as(tenant.admin), payload });
    const notAllowed = await post({ name: 'vip', transport: 'stdio', server: 'vip-only' });
    expect(notAllowed.statusCode).toBe(400);
    expect(notAllowed.json().error.param).toBe('server');
    const command = await post({ name: 'shell', transport: 'stdio', command: 'sh' });
    expect(command.statusCode).toBe(400);
    expect(command.json().error.param).toBe('server');

    expect((await post({ name: 'local', transport: 'stdio', server: 'everyone' })).statusCode).toBe(201);
    const http = await post({
      name: 'calc',
      transport: 'streamable_http',
      url: mcp.url,
      headers: { Authorization: 'Bearer secret-token' },
    });
    expect(http.statusCode).toBe(201);
    expect(http.json()).toMatchObject({
      object: 'mcp_server',
      name: 'calc',
      header_names: ['Authorization'],
    });
    expect(http.body).not.toContain('secret-token');

    const read = await testApp.app.inject({
      method: 'GET',
      url: '/v1/mcp-servers/calc',
      headers: as(tenant.member),
    });
    expect(
      read
        .json()
        .tools.map((tool: { name: string }) => tool.name)
        .sort(),
    ).toEqual(['calc__add', 'calc__shout', 'calc__whoami']);
    const list = await testApp.app.inject({ method: 'GET', url: '/v1/tools', headers: as(tenant.member) });
    const names = list.json().data.map((tool: { name: string }) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['calc__add', 'local__shout']));
    expect(list.json().errors).toEqual([]);

    const deleted = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/mcp-servers/local',
      headers: as(tenant.admin),
    });
    expect(deleted.statusCode).toBe(200);
    const servers = await testApp.app.inject({
      method: 'GET',
      url: '/v1/mcp-servers',
      headers: as(tenant.member),
    });
    expect(servers.json().data.map((server: { name: string }) => server.name)).toEqual(['calc']);
  });

  it('serves the template library and an organisation’s own templates', async () => {
    const list = await testApp.app.inject({
      method: 'GET',
      url: '/v1/swarm-templates',
      headers: as(tenant.member),
    });
    const builtIns = list
      .json()
      .data.filter((template: { source: string }) => template.source === 'built-in');
    expect(builtIns.map((template: { name: string }) => template.name)).toEqual([
      'architecture-review',
      'code-review',
      'research-report',
      'security-audit',
    ]);
    const audit = await testApp.app.inject({
      method: 'GET',
      url: '/v1/swarm-templates/security-audit',
      headers: as(tenant.member),
    });
    expect(audit.json().agents.map((agent: { role: string }) => agent.role)).toEqual([
      'threat-modeler',
      'dependency-reviewer',
      'code-reviewer',
      'report-writer',
    ]);

    const template = {
      name: 'triage',
      description: 'Triage a bug report.',
      agents: [
        { role: 'reproducer', instructions: 'Reproduce the bug.', tools: ['calculator', 'calc__add'] },
        { role: 'fixer', instructions: 'Propose a fix.', tools: [], model: 'sim/fast' },
      ],
      synthesis_instructions: 'Summarise.',
    };
    const post = (payload: Record<string, unknown>, secret = tenant.admin) =>
      testApp.app.inject({ method: 'POST', url: '/v1/swarm-templates', headers: as(secret), payload });
    expect((await post(template, tenant.member)).statusCode).toBe(403);
    for (const [payload, param] of [
      [{ ...template, name: 'security-audit' }, 'name'],
      [{ ...template, name: 'Bad Name' }, 'name'],
      [{ ...template, agents: [] }, 'agents'],
      [
        { ...template, agents: [{ role: 'a', instructions: 'x', tools: ['calculator', 'missing_tool'] }] },
        'agents[0].tools[1]',
      ],
      [
        { ...template, agents: [{ role: 'a', instructions: 'x', tools: ['ghost__tool'] }] },
        'agents[0].tools[0]',
      ],
      [{ ...template, agents: [{ role: 'a', instructions: '' }] }, 'agents[0].instructions'],
      [{ ...template, agents: [template.agents[1], template.agents[1]] }, 'agents[1].role'],
      [
        { ...template, agents: [template.agents[0], { ...template.agents[1], depends_on: ['ghost'] }] },
        'agents[1].depends_on',
      ],
      [
        {
          ...template,
          agents: [
            { ...template.agents[0], depends_on: ['fixer'] },
            { ...template.agents[1], depends_on: ['reproducer'] },
          ],
        },
        'agents[1].depends_on',
      ],
    ] as const) {
      const response = await post(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.param).toBe(param);
    }
    const created = await post(template);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      object: 'swarm_template',
      name: 'triage',
      source: 'organization',
    });
    expect((await post(template)).statusCode).toBe(409);
    const ordered = await post({
      ...template,
      name: 'triage-ordered',
      agents: [template.agents[0], { ...template.agents[1], depends_on: ['reproducer'] }],
    });
    expect(ordered.statusCode).toBe(201);
    expect(ordered.json().agents[1].depends_on).toEqual(['reproducer']);

    const replaced = await testApp.app.inject({
      method: 'PUT',
      url: '/v1/swarm-templates/triage',
      headers: as(tenant.admin),
      payload: { description: 'Triage v2.', agents: [template.agents[1]] },
    });
    expect(replaced.statusCode).toBe(200);
    const resolver = createTemplateResolver(testApp.database);
    expect(await resolver.resolve(tenant.organizationId, 'triage')).toMatchObject({
      name: 'triage',
      description: 'Triage v2.',
      agents: [{ role: 'fixer', model: 'sim/fast' }],
    });
    expect(await resolver.resolve(tenant.organizationId, 'code-review')).toMatchObject({
      name: 'code-review',
    });
    expect(await resolver.resolve(testApp.organizationId, 'triage')).toBeNull();

    const otherOrg = await testApp.app.inject({
      method: 'GET',
      url: '/v1/swarm-templates/triage',
      headers: as(testApp.adminKey),
    });
    expect(otherOrg.statusCode).toBe(404);
    const builtInDelete = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/swarm-templates/code-review',
      headers: as(tenant.admin),
    });
    expect(builtInDelete.statusCode).toBe(400);
    const deleted = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/swarm-templates/triage',
      headers: as(tenant.admin),
    });
    expect(deleted.json()).toEqual({ object: 'swarm_template.deleted', name: 'triage', deleted: true });
  });
});
