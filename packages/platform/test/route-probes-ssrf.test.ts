import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBudgetAlerts } from '../src/metering/budgets/index.ts';
import {
  type ProbeResponse,
  probeHostResolver,
  probeProviderConfig,
  responseProblem,
  sendProbe,
} from './support/route-probes.ts';
import { createTenant, startTestApp } from './support/test-app.ts';

/**
 * Every place a tenant supplies a URL — HTTP tools, MCP servers over HTTP, budget webhooks,
 * provider-key base URLs — refuses loopback, link-local, private and otherwise non-public
 * destinations, however they are spelled (decimal, octal, hex, IPv4-mapped or NAT64 IPv6, DNS
 * names resolving to such addresses): with a 4xx in the documented shape when the URL is set, and
 * again when it is called (a name that resolved to a public address may resolve elsewhere later).
 * Names resolve through the test's resolver only; the one listening socket is on loopback and
 * must never see a connection.
 */
const resolver = probeHostResolver({
  'internal.private.test': ['10.0.0.5'],
  'loop.private.test': ['127.0.0.1'],
  'meta.private.test': ['169.254.169.254'],
  'metadata.google.internal': ['169.254.169.254'],
  'mixed.private.test': ['93.184.216.34', '10.0.0.9'],
  'v6loop.private.test': ['::1'],
  'mapped.private.test': ['::ffff:127.0.0.1'],
  'ula.private.test': ['fd00::7'],
  'linklocal6.private.test': ['fe80::1'],
});
const testApp = await startTestApp({
  listen: true,
  config: { providers: probeProviderConfig, routing: { defaults: { retry: { max_attempts: 1 } } } },
  resolveHost: resolver,
});
const tenant = await createTenant(testApp, { name: 'ssrf tenant', role: 'admin' });

/** A loopback socket standing in for an internal service: it counts connections and answers nothing. */
let connections = 0;
const internalService: Server = createServer((socket) => {
  connections += 1;
  socket.destroy();
});
await new Promise<void>((resolve) => internalService.listen(0, '127.0.0.1', resolve));
const internalPort = (internalService.address() as { port: number }).port;

afterAll(async () => {
  await testApp.close();
  await new Promise((resolve) => internalService.close(resolve));
});

const blockedHosts = [
  // loopback
  '127.0.0.1',
  '127.8.9.10',
  'localhost',
  'LOCALHOST.',
  'api.localhost',
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  '0.0.0.0',
  '[::]',
  // link-local, cloud metadata
  '169.254.169.254',
  '169.254.0.1',
  '[fe80::1]',
  // private
  '10.0.0.1',
  '10.255.255.254',
  '172.16.0.1',
  '172.31.255.254',
  '192.168.0.1',
  '192.168.255.254',
  '[fc00::1]',
  '[fd12:3456::1]',
  // the same addresses spelled otherwise
  '2130706433',
  '017700000001',
  '0177.0.0.1',
  '0x7f.1',
  '0x7f000001',
  '127.1',
  '0xa9fea9fe',
  '3232235521',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[::ffff:169.254.169.254]',
  '[::ffff:10.0.0.1]',
  '[::127.0.0.1]',
  '[64:ff9b::127.0.0.1]',
  '[64:ff9b::a9fe:a9fe]',
  '[2002:7f00:1::]',
  '[fec0::1]',
  // names that resolve there
  'internal.private.test',
  'loop.private.test',
  'meta.private.test',
  'metadata.google.internal',
  'mixed.private.test',
  'v6loop.private.test',
  'mapped.private.test',
  'ula.private.test',
  'linklocal6.private.test',
];

const blockedUrls = [
  ...blockedHosts.flatMap((host) => [`https://${host}/hook`, `https://${host}:8443/v1`, `http://${host}/x`]),
  'https://user:password@api.public.test/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
];

interface UrlPlace {
  name: string;
  param: string;
  request(url: string, index: number): { method: string; url: string; payload: Record<string, unknown> };
}

const organizationPath = `/v1/admin/organizations/${tenant.organizationId}`;

const places: UrlPlace[] = [
  {
    name: 'an HTTP tool',
    param: 'url',
    request: (url, index) => ({
      method: 'POST',
      url: '/v1/tools',
      payload: {
        name: `probe_${index}`,
        description: 'A tool.',
        url,
        parameters: { type: 'object', properties: {} },
      },
    }),
  },
  {
    name: 'an MCP server over HTTP',
    param: 'url',
    request: (url, index) => ({
      method: 'POST',
      url: '/v1/mcp-servers',
      payload: { transport: 'streamable_http', name: `probe-${index}`, url },
    }),
  },
  {
    name: 'the budget webhook',
    param: 'url',
    request: (url) => ({ method: 'PUT', url: `${organizationPath}/webhook`, payload: { url } }),
  },
  {
    name: "a provider key's base URL",
    param: 'base_url',
    request: (url) => ({
      method: 'PUT',
      url: `${organizationPath}/provider-keys/localllm`,
      payload: { api_key: 'sk-probe-0123456789', base_url: url },
    }),
  },
];

function send(request: { method: string; url: string; payload?: Record<string, unknown> }) {
  return sendProbe(testApp, { ...request, secret: tenant.secret });
}

function errorOf(response: ProbeResponse): { code: string; param: string | null; message: string } {
  return (JSON.parse(response.body) as { error: { code: string; param: string | null; message: string } })
    .error;
}

/** Waits until `check` holds, re-reading every 100 ms for at most `timeoutMs`. */
async function eventually<Value>(
  read: () => Promise<Value>,
  check: (value: Value) => boolean,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('SSRF: tenant-supplied URLs are checked when they are set', () => {
  for (const place of places) {
    it(`${place.name} refuses every non-public destination with a 4xx naming '${place.param}'`, async () => {
      const failures: string[] = [];
      for (const [index, url] of blockedUrls.entries()) {
        const response = await send(place.request(url, index));
        const problem = responseProblem(response);
        if (problem) failures.push(`${url} → ${problem}`);
        else if (response.status < 400 || response.status >= 500)
          failures.push(`${url} → accepted (${response.status})`);
        else if (errorOf(response).param !== place.param)
          failures.push(`${url} → names '${errorOf(response).param}', not '${place.param}'`);
      }
      expect(failures).toEqual([]);
      const accepted = await send(place.request('https://api.public.test/ok', 9999));
      expect(accepted.status, accepted.body).toBeLessThan(300);
      // why: listing tools connects to every MCP server; the control's public address must never be dialled.
      if (place.name === 'an MCP server over HTTP') {
        expect((await send({ method: 'DELETE', url: '/v1/mcp-servers/probe-9999' })).status).toBe(200);
      }
      expect(connections).toBe(0);
    }, 60_000);
  }

  it("only the platform admin widens an organisation's tool network allowlist", async () => {
    const response = await send({
      method: 'PUT',
      url: `${organizationPath}/tool-network-allowlist`,
      payload: { entries: ['127.0.0.0/8', '169.254.169.254', '10.0.0.0/8'] },
    });
    expect(response.status).toBe(403);
    expect(responseProblem(response)).toBeNull();
  });
});

describe('SSRF: a name that resolved to a public address is checked again when it is called', () => {
  const target = (name: string, path: string) => `https://${name}:${internalPort}${path}`;

  it('an HTTP tool called by an agent is refused, and nothing connects', async () => {
    resolver.set('rebind-tool.public.test', ['93.184.216.34']);
    const created = await send({
      method: 'POST',
      url: '/v1/tools',
      payload: {
        name: 'weather_lookup',
        description: 'Looks up the weather forecast for a city.',
        url: target('rebind-tool.public.test', '/tool'),
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    });
    expect(created.status, created.body).toBe(201);
    resolver.set('rebind-tool.public.test', ['127.0.0.1']);
    const run = await send({
      method: 'POST',
      url: '/v1/swarms',
      payload: {
        task: 'Use the weather lookup for the weather forecast in Paris.',
        agents: [
          { role: 'forecaster', instructions: 'Look up the weather forecast.', tools: ['weather_lookup'] },
        ],
      },
    });
    expect(run.status, run.body).toBe(202);
    const runId = (JSON.parse(run.body) as { id: string }).id;
    const finished = await eventually(
      () => send({ method: 'GET', url: `/v1/swarms/${runId}` }),
      (response) => !/"status":"(queued|running)"/.test(response.body.slice(0, 400)),
    );
    expect(finished.body).toMatch(/127\.0\.0\.1, a loopback address; it may not be reached/);
    expect(connections).toBe(0);
  }, 30_000);

  it('an MCP server is refused when the platform connects, and nothing connects', async () => {
    resolver.set('rebind-mcp.public.test', ['93.184.216.34']);
    const created = await send({
      method: 'POST',
      url: '/v1/mcp-servers',
      payload: {
        transport: 'streamable_http',
        name: 'rebound',
        url: target('rebind-mcp.public.test', '/mcp'),
      },
    });
    expect(created.status, created.body).toBe(201);
    resolver.set('rebind-mcp.public.test', ['169.254.169.254', '127.0.0.1']);
    const read = await send({ method: 'GET', url: '/v1/mcp-servers/rebound' });
    expect(read.status).toBe(200);
    expect((JSON.parse(read.body) as { error?: string }).error).toMatch(/may not be reached/);
    expect(connections).toBe(0);
  });

  it('a budget alert is not delivered to the webhook, and nothing connects', async () => {
    resolver.set('rebind-hook.public.test', ['93.184.216.34']);
    const webhook = await send({
      method: 'PUT',
      url: `${organizationPath}/webhook`,
      payload: { url: target('rebind-hook.public.test', '/hook') },
    });
    expect(webhook.status, webhook.body).toBe(200);
    resolver.set('rebind-hook.public.test', ['127.0.0.1']);
    const budget = await send({
      method: 'POST',
      url: `${organizationPath}/budgets`,
      payload: {
        scope: 'end_user',
        subject: 'alerted-user',
        limit_usd: 10,
        period: 'month',
        alert_thresholds: [50],
      },
    });
    expect(budget.status, budget.body).toBe(201);
    const created = JSON.parse(budget.body) as { id: string; current_period: { key: string } };
    const fired = await checkBudgetAlerts({
      database: testApp.database,
      queue: testApp.jobQueue,
      levels: [
        {
          budgetId: created.id,
          periodKey: created.current_period.key,
          spentNanoUsd: 6e9,
          reservedNanoUsd: 0,
          limitNanoUsd: 10e9,
        },
      ],
      retry: { attempts: 1, backoffMs: 10 },
    });
    expect(fired).toHaveLength(1);
    const alerts = await eventually(
      () => send({ method: 'GET', url: `${organizationPath}/budget-alerts` }),
      (response) => response.body.includes('"delivery_attempts":1'),
    );
    const [alert] = (JSON.parse(alerts.body) as { data: Array<Record<string, unknown>> }).data;
    expect(alert).toMatchObject({ delivered_at: null, delivery_attempts: 1 });
    expect(alert?.last_delivery_error).toMatch(/127\.0\.0\.1, a loopback address; it may not be reached/);
    expect(connections).toBe(0);
  }, 30_000);

  it("a model call through the organisation's provider key is a 4xx, and nothing connects", async () => {
    resolver.set('rebind-llm.public.test', ['93.184.216.34']);
    const key = await send({
      method: 'PUT',
      url: `${organizationPath}/provider-keys/localllm`,
      payload: { api_key: 'sk-probe-0123456789', base_url: target('rebind-llm.public.test', '/v1') },
    });
    expect(key.status, key.body).toBe(200);
    resolver.set('rebind-llm.public.test', ['10.0.0.5', '127.0.0.1']);
    // why: the credential cache re-reads provider keys after a change notice; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const completion = await send({
      method: 'POST',
      url: '/v1/chat/completions',
      payload: { model: 'localllm/model', messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(responseProblem(completion)).toBeNull();
    expect(completion.status, completion.body).toBeGreaterThanOrEqual(400);
    expect(completion.status, completion.body).toBeLessThan(500);
    expect(errorOf(completion)).toMatchObject({ code: 'PROVIDER_DESTINATION_BLOCKED' });
    expect(errorOf(completion).message).toMatch(/may not be reached/);
    expect(connections).toBe(0);
  });
});
