import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolExecutionContext } from '../src/agents/tool-contract.ts';
import {
  type AgentToolkit,
  createAgentToolkit,
  createHttpTool,
  createMcpServer,
  writeNetworkAllowlist,
} from '../src/agents/tools/index.ts';
import { defaultToolsConfig, type ToolsConfig } from '../src/config/index.ts';
import { verifyWebhookSignature } from '../src/metering/budgets/index.ts';
import { type Database, migrateDatabase, openDatabase } from '../src/storage/db/index.ts';
import { createSecretBox, systemClock } from '../src/support/index.ts';
import { createLocalTracing } from '../src/telemetry/index.ts';
import { createOrganization } from '../src/tenancy/index.ts';
import { startHttpMcpServer } from './support/mcp-test-server.ts';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';

const usePostgres = await postgresAvailable();
const fixture = fileURLToPath(new URL('./support/mcp-stdio-server.fixture.ts', import.meta.url));

let temporary: TemporaryDatabase | undefined;
let database: Database;
let toolkit: AgentToolkit;
let organizationId: string;
let otherOrganizationId: string;
let receiver: Server;
let receiverUrl: string;
let mcp: Awaited<ReturnType<typeof startHttpMcpServer>>;
const received: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  verified: boolean;
}[] = [];
const secretBox = createSecretBox(randomBytes(32));
// why export off: the spans' context is what tools pass on; nothing needs to be exported for that.
const tracing = createLocalTracing('test');
const toolSecret = 'tsec_test_secret_for_signatures_0001';

const config: ToolsConfig = {
  ...defaultToolsConfig,
  timeout_ms: 10_000,
  mcp_stdio_servers: [
    {
      name: 'local-stdio',
      command: process.execPath,
      args: ['--import', 'tsx', fixture],
      env: { MCP_FIXTURE_LABEL: 'stdio-fixture' },
    },
  ],
};

const context = (): ToolExecutionContext => ({
  organizationId,
  runId: 'run_abc',
  stepKey: 'agent-1/tool-3',
  signal: new AbortController().signal,
});

beforeAll(async () => {
  temporary = usePostgres ? await createTemporaryDatabase() : undefined;
  database = await openDatabase({
    ...(temporary ? { databaseUrl: temporary.url } : {}),
    dataDirectory: 'memory://',
  });
  await migrateDatabase(database);
  organizationId = (await createOrganization(database, { name: 'tools org' })).id;
  otherOrganizationId = (await createOrganization(database, { name: 'other org' })).id;

  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhookSignature({
        secret: toolSecret,
        body,
        header: request.headers['x-kimi-signature'] as string | undefined,
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      received.push({ headers: request.headers, body, verified });
      if (!verified) {
        response.writeHead(401).end('bad signature');
        return;
      }
      const { city } = JSON.parse(body) as { city: string };
      if (city === 'Atlantis') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown city"}');
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ city, forecast: 'sunny' }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/weather`;
  mcp = await startHttpMcpServer();

  await writeNetworkAllowlist(database, organizationId, ['127.0.0.1']);
  const weatherTool = {
    organizationId,
    name: 'weather',
    description: 'The forecast for a city.',
    url: receiverUrl,
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', minLength: 1 } },
      required: ['city'],
      additionalProperties: false,
    },
    needsApproval: true,
  };
  await createHttpTool(database, secretBox, { ...weatherTool, secret: toolSecret });
  await createHttpTool(database, secretBox, {
    ...weatherTool,
    name: 'weather_wrong_secret',
    secret: 'tsec_other',
  });
  // The same tool in an organisation without the allowlist: the guard must refuse loopback there.
  await createHttpTool(database, secretBox, {
    ...weatherTool,
    organizationId: otherOrganizationId,
    secret: toolSecret,
  });
  for (const owner of [organizationId, otherOrganizationId]) {
    await createMcpServer(database, secretBox, {
      organizationId: owner,
      name: 'calc',
      transport: 'streamable_http',
      url: mcp.url,
      configuredServer: null,
      headers: { authorization: 'Bearer mcp-token' },
      needsApproval: false,
    });
  }
  await createMcpServer(database, secretBox, {
    organizationId,
    name: 'local',
    transport: 'stdio',
    url: null,
    configuredServer: 'local-stdio',
    headers: {},
    needsApproval: true,
  });
  toolkit = createAgentToolkit({
    database,
    secretBox,
    clock: systemClock,
    config: () => config,
    traceHeaders: () => tracing.inject({}),
  });
});

afterAll(async () => {
  await toolkit?.close();
  await mcp?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.close();
  await temporary?.drop();
  await tracing.close();
});

describe(`tool resolver (${usePostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('resolves built-ins, HTTP tools and MCP tools by name, in order', async () => {
    const tools = await toolkit.toolResolver.resolve(organizationId, [
      'calculator',
      'weather',
      'calc__add',
      'local__shout',
      'current_time',
      'calculator',
    ]);
    expect(tools.map((tool) => tool.definition.name)).toEqual([
      'calculator',
      'weather',
      'calc__add',
      'local__shout',
      'current_time',
    ]);
    expect(tools[1]!.definition.needsApproval).toBe(true);
    expect(tools[3]!.definition.needsApproval).toBe(true);
    expect(tools[2]!.definition.parameters).toMatchObject({ type: 'object', required: ['a', 'b'] });
  });

  it("sends the active span's traceparent to HTTP tools and MCP servers", async () => {
    const [weather, add] = await toolkit.toolResolver.resolve(organizationId, ['weather', 'calc__add']);
    const parent = tracing.extract({
      traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
    });
    const span = tracing.startSpan('execute_tool', { parent });
    const expected = `00-0123456789abcdef0123456789abcdef-${span.spanContext().spanId}-01`;
    received.length = 0;
    mcp.headersSeen.length = 0;
    await tracing.withSpan(span, async () => {
      expect((await weather!.execute('{"city":"Paris"}', context())).ok).toBe(true);
      expect((await add!.execute({ a: 1, b: 2 }, context())).ok).toBe(true);
    });
    span.end();
    expect(received.at(-1)?.headers.traceparent).toBe(expected);
    expect(mcp.headersSeen.some((headers) => headers.traceparent === expected)).toBe(true);
  });

  it('names an unknown tool in a 400', async () => {
    for (const [names, param, name] of [
      [['calculator', 'nope'], 'tools[1]', 'nope'],
      [['calc__subtract'], 'tools[0]', 'calc__subtract'],
      [['ghost__add'], 'tools[0]', 'ghost__add'],
    ] as const) {
      await expect(toolkit.toolResolver.resolve(organizationId, names)).rejects.toMatchObject({
        status: 400,
        code: 'TOOL_NOT_FOUND',
        param,
        message: `The tool '${name}' does not exist for this organization.`,
      });
    }
  });

  it('POSTs HTTP tool arguments signed with HMAC-SHA256, verified by the receiver', async () => {
    received.length = 0;
    const [weather] = await toolkit.toolResolver.resolve(organizationId, ['weather']);
    expect(await weather!.execute('{"city":"Paris"}', context())).toEqual({
      ok: true,
      output: '{"city":"Paris","forecast":"sunny"}',
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ body: '{"city":"Paris"}', verified: true });
    expect(received[0]!.headers['x-kimi-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(received[0]!.headers['x-kimi-tool']).toBe('weather');
    expect(received[0]!.headers['idempotency-key']).toBe('run_abc:agent-1/tool-3');

    expect(await weather!.execute({ city: 'Atlantis' }, context())).toEqual({
      ok: false,
      error: `The tool's endpoint answered HTTP 404: {"error":"unknown city"}`,
    });
    expect(await weather!.execute({ town: 'Paris' }, context())).toMatchObject({ ok: false });
    expect(received).toHaveLength(2);

    const [wrong] = await toolkit.toolResolver.resolve(organizationId, ['weather_wrong_secret']);
    expect(await wrong!.execute({ city: 'Paris' }, context())).toEqual({
      ok: false,
      error: `The tool's endpoint answered HTTP 401: bad signature`,
    });
    expect(received[2]!.verified).toBe(false);
  });

  it('refuses loopback tool endpoints and MCP servers where the organisation has no allowlist', async () => {
    received.length = 0;
    const [weather] = await toolkit.toolResolver.resolve(otherOrganizationId, ['weather']);
    expect(
      await weather!.execute({ city: 'Paris' }, { ...context(), organizationId: otherOrganizationId }),
    ).toEqual({
      ok: false,
      error: expect.stringMatching(/must be an https:\/\/ URL/),
    });
    expect(received).toHaveLength(0);
    await expect(toolkit.toolResolver.resolve(otherOrganizationId, ['calc__add'])).rejects.toMatchObject({
      status: 400,
      code: 'MCP_SERVER_UNAVAILABLE',
      message: expect.stringMatching(/127\.0\.0\.1 is a loopback address/),
    });
  });

  it('calls tools of a streamable HTTP MCP server, with its sealed headers', async () => {
    const [add, shout] = await toolkit.toolResolver.resolve(organizationId, ['calc__add', 'calc__shout']);
    expect(await add!.execute({ a: 2, b: 40 }, context())).toEqual({ ok: true, output: '42' });
    expect(await add!.execute({ a: 'two', b: 40 }, context())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/arguments\.a must be number/),
    });
    expect(await shout!.execute({ text: '' }, context())).toEqual({ ok: false, error: 'nothing to shout' });
    expect(mcp.headersSeen.some((headers) => headers.authorization === 'Bearer mcp-token')).toBe(true);
  });

  it('calls tools of an operator-configured stdio MCP server without leaking the environment', async () => {
    process.env.KIMI_TEST_SECRET = 'must-not-leak';
    try {
      const [shout, whoami] = await toolkit.toolResolver.resolve(organizationId, [
        'local__shout',
        'local__whoami',
      ]);
      expect(await shout!.execute({ text: 'quiet' }, context())).toEqual({ ok: true, output: 'QUIET' });
      expect(await whoami!.execute({}, context())).toEqual({
        ok: true,
        output: 'stdio-fixture secret=absent',
      });
    } finally {
      delete process.env.KIMI_TEST_SECRET;
    }
  });

  it('lists every tool of the organisation, reporting unreachable MCP servers', async () => {
    const own = await toolkit.listTools(organizationId);
    expect(own.problems).toEqual([]);
    expect(own.tools.map((tool) => `${tool.source}:${tool.definition.name}`)).toEqual(
      expect.arrayContaining([
        'built-in:calculator',
        'built-in:current_time',
        'built-in:http_get',
        'built-in:knowledge_search',
        'http:weather',
        'mcp:calc__add',
        'mcp:calc__shout',
        'mcp:local__whoami',
      ]),
    );
    const other = await toolkit.listTools(otherOrganizationId);
    expect(other.problems).toEqual([{ server: 'calc', error: expect.stringMatching(/loopback address/) }]);
  });
});
