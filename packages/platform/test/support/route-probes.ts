import { randomBytes } from 'node:crypto';
import type { HostResolver } from '../../src/agents/tools/index.ts';
import type { TestApp } from './test-app.ts';

/**
 * The probe table behind the route-probe suites: every route the app registers has a case saying
 * who may call it, a valid request to mutate, and how it treats another organisation. A route
 * without a case fails the suites, so a route added later cannot go unprobed.
 */

/** `METHOD /url/:pattern`, as the app registered it. */
export type RouteKey = string;

export interface ProbeTenant {
  label: string;
  organizationId: string;
  organizationName: string;
  admin: string;
  adminKeyId: string;
  member: string;
  memberKeyId: string;
  budgetId: string;
  toolName: string;
  serverName: string;
  templateName: string;
  runId: string;
  webhookUrl: string;
  providerKey: string;
  providerBaseUrl: string;
  endUser: string;
}

/** A request the probes send. */
export interface ProbeRequest {
  method: string;
  /** Path and query. */
  url: string;
  secret?: string;
  /** Sent as is (a string) or as JSON. */
  payload?: string | Record<string, unknown> | unknown[];
  headers?: Record<string, string>;
}

/** The key a route needs to get past permissions, so bad input reaches validation. */
export type ProbeCaller = 'none' | 'member' | 'admin' | 'platform';

/**
 * How a key of another organisation is treated. `scoped`: the path names an organisation's
 * resource; another organisation's key gets 403 or 404. `own`: the route acts on the caller's
 * organisation. `global`: no tenant's data. `platform`: only the platform admin may call it.
 */
export type Tenancy = 'scoped' | 'own' | 'global' | 'platform';

export interface CrossTenantVariant {
  /** What the variant tries. */
  label: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** `refused`: a 4xx; `ignored`: any non-5xx that reveals nothing of the victim. */
  expect: 'refused' | 'ignored';
}

export interface RouteCase {
  caller: ProbeCaller;
  tenancy: Tenancy;
  /** A valid body for a tenant's own resources (routes that take one). */
  body?: (tenant: ProbeTenant) => Record<string, unknown>;
  /** A valid query string. */
  query?: Record<string, string>;
  /** Streams (SSE) or upgrades: probed over real HTTP, each request bounded in time. */
  streaming?: boolean;
  /** Errors in Anthropic's shape (`/v1/messages`). */
  errorFormat?: 'anthropic';
  /** Requests of an `own` route that name the victim's resources in the body or query. */
  crossTenant?: (victim: ProbeTenant) => CrossTenantVariant[];
}

const chatBody = () => ({
  model: 'sim/fast',
  messages: [{ role: 'user', content: 'Say hello.' }],
  max_tokens: 16,
  user: 'probe-user',
});

const templateBody = (tenant: ProbeTenant) => ({
  description: 'A probe template.',
  agents: [{ role: 'writer', instructions: 'Write it.', tools: [tenant.toolName] }],
  synthesis_instructions: 'Summarise.',
});

/** Every route of the app: the table the suites walk. */
export const routeCases: Record<RouteKey, RouteCase> = {
  'GET /healthz': { caller: 'none', tenancy: 'global' },
  'GET /readyz': { caller: 'none', tenancy: 'global' },
  'GET /metrics': { caller: 'none', tenancy: 'global' },
  'POST /v1/chat/completions': { caller: 'member', tenancy: 'own', body: chatBody },
  'POST /v1/messages': {
    caller: 'member',
    tenancy: 'own',
    errorFormat: 'anthropic',
    body: () => ({ model: 'sim/fast', max_tokens: 16, messages: [{ role: 'user', content: 'Hello.' }] }),
  },
  'POST /v1/embeddings': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ model: 'sim/embed', input: 'hello' }),
  },
  'POST /v1/batch/chat/completions': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ requests: [chatBody()], max_concurrency: 1 }),
  },
  'GET /v1/models': { caller: 'member', tenancy: 'global' },
  'GET /v1/models/*': { caller: 'member', tenancy: 'global' },
  'GET /v1/usage': {
    caller: 'member',
    tenancy: 'own',
    query: { group_by: 'key' },
    crossTenant: () => [{ label: 'usage by key', query: { group_by: 'key' }, expect: 'ignored' }],
  },
  'GET /v1/cache/stats': {
    caller: 'member',
    tenancy: 'own',
    crossTenant: (victim) => [
      { label: "the victim's stats", query: { organization_id: victim.organizationId }, expect: 'refused' },
    ],
  },
  'DELETE /v1/cache': {
    caller: 'admin',
    tenancy: 'own',
    crossTenant: (victim) => [
      {
        label: "purge the victim's cache",
        query: { organization_id: victim.organizationId },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/routing/explain': {
    caller: 'member',
    tenancy: 'global',
    query: { model: 'sim/fast', prompt: 'hello' },
  },
  'POST /v1/routing/explain': { caller: 'member', tenancy: 'global', body: chatBody },
  'GET /v1/providers/health': { caller: 'member', tenancy: 'global' },
  'POST /v1/admin/organizations': {
    caller: 'platform',
    tenancy: 'platform',
    body: () => ({ name: 'probe organization' }),
  },
  'GET /v1/admin/organizations': { caller: 'platform', tenancy: 'platform', query: { limit: '5' } },
  'GET /v1/admin/organizations/:organizationId': { caller: 'admin', tenancy: 'scoped' },
  'DELETE /v1/admin/organizations/:organizationId': { caller: 'platform', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/cache-policy': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/cache-policy': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ enabled: false, ttl_seconds: 60 }),
  },
  'POST /v1/admin/organizations/:organizationId/keys': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ name: 'probe key', role: 'member' }),
  },
  'GET /v1/admin/organizations/:organizationId/keys': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5', include_revoked: 'true' },
  },
  'GET /v1/admin/organizations/:organizationId/keys/:keyId': { caller: 'admin', tenancy: 'scoped' },
  'DELETE /v1/admin/organizations/:organizationId/keys/:keyId': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/keys/:keyId/cache-policy': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/keys/:keyId/cache-policy': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ enabled: true }),
  },
  'GET /v1/admin/organizations/:organizationId/keys/:keyId/rate-limits': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/keys/:keyId/rate-limits': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ requests_per_minute: 100_000 }),
  },
  'GET /v1/admin/organizations/:organizationId/plan': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/plan': {
    caller: 'platform',
    tenancy: 'scoped',
    body: () => ({ plan: 'enterprise' }),
  },
  'GET /v1/admin/organizations/:organizationId/provider-keys': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/provider-keys/:provider': {
    caller: 'admin',
    tenancy: 'scoped',
    body: (tenant) => ({ api_key: `sk-probe-${tenant.label}-0123456789`, base_url: tenant.providerBaseUrl }),
  },
  'DELETE /v1/admin/organizations/:organizationId/provider-keys/:provider': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'GET /v1/admin/organizations/:organizationId/rate-limits': { caller: 'admin', tenancy: 'scoped' },
  'PUT /v1/admin/organizations/:organizationId/rate-limits': {
    caller: 'platform',
    tenancy: 'scoped',
    body: () => ({ requests_per_minute: 100_000 }),
  },
  'POST /v1/admin/organizations/:organizationId/budgets': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ scope: 'end_user', subject: 'probe-user', limit_usd: 1000, period: 'month' }),
  },
  'GET /v1/admin/organizations/:organizationId/budgets': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { scope: 'end_user', limit: '5' },
  },
  'GET /v1/admin/organizations/:organizationId/budgets/:budgetId': { caller: 'admin', tenancy: 'scoped' },
  'PATCH /v1/admin/organizations/:organizationId/budgets/:budgetId': {
    caller: 'admin',
    tenancy: 'scoped',
    body: () => ({ limit_usd: 900 }),
  },
  'DELETE /v1/admin/organizations/:organizationId/budgets/:budgetId': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/budget-alerts': {
    caller: 'admin',
    tenancy: 'scoped',
    query: { limit: '5' },
  },
  'PUT /v1/admin/organizations/:organizationId/webhook': {
    caller: 'admin',
    tenancy: 'scoped',
    body: (tenant) => ({ url: tenant.webhookUrl }),
  },
  'GET /v1/admin/organizations/:organizationId/webhook': { caller: 'admin', tenancy: 'scoped' },
  'DELETE /v1/admin/organizations/:organizationId/webhook': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/admin/organizations/:organizationId/tool-network-allowlist': {
    caller: 'admin',
    tenancy: 'scoped',
  },
  'PUT /v1/admin/organizations/:organizationId/tool-network-allowlist': {
    caller: 'platform',
    tenancy: 'scoped',
    body: () => ({ entries: ['127.0.0.1'] }),
  },
  'GET /v1/admin/plans': { caller: 'admin', tenancy: 'global' },
  'GET /v1/admin/plans/:planId': { caller: 'admin', tenancy: 'global' },
  'PUT /v1/admin/plans/:planId': {
    caller: 'platform',
    tenancy: 'platform',
    body: () => ({ name: 'Probe plan', rank: 7 }),
  },
  'DELETE /v1/admin/plans/:planId': { caller: 'platform', tenancy: 'platform' },
  'POST /v1/swarms': {
    caller: 'member',
    tenancy: 'own',
    body: () => ({ task: 'Write a haiku.', agents: [{ role: 'poet', instructions: 'Write.' }] }),
    crossTenant: (victim) => [
      {
        label: "the victim's template",
        body: { task: 'Go.', template: victim.templateName },
        expect: 'refused',
      },
      {
        label: "the victim's HTTP tool",
        body: { task: 'Go.', agents: [{ role: 'a', tools: [victim.toolName] }] },
        expect: 'refused',
      },
      {
        label: "the victim's MCP server",
        body: { task: 'Go.', agents: [{ role: 'a', tools: [`${victim.serverName}__add`] }] },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/swarms': {
    caller: 'member',
    tenancy: 'own',
    query: { limit: '5' },
    crossTenant: (victim): CrossTenantVariant[] => [
      { label: "a cursor at the victim's run", query: { after: victim.runId }, expect: 'ignored' },
      { label: 'queued runs', query: { status: 'queued' }, expect: 'ignored' },
    ],
  },
  'GET /v1/swarms/ws': { caller: 'member', tenancy: 'own', streaming: true },
  'GET /v1/swarms/:id': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/swarms/:id/cancel': { caller: 'member', tenancy: 'scoped' },
  'POST /v1/swarms/:id/approvals': {
    caller: 'member',
    tenancy: 'scoped',
    body: () => ({ step_id: 'step_probe', decision: 'accept' }),
  },
  'GET /v1/swarms/:id/events': {
    caller: 'member',
    tenancy: 'scoped',
    streaming: true,
    query: { after: '0' },
  },
  'GET /v1/tools': { caller: 'member', tenancy: 'own' },
  'POST /v1/tools': {
    caller: 'admin',
    tenancy: 'own',
    body: (tenant) => ({
      name: `probe_${tenant.label}`,
      description: 'A probe tool.',
      url: `https://${tenant.label}-probe-tool.public.test/run`,
      parameters: { type: 'object', properties: {} },
    }),
  },
  'GET /v1/tools/:name': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/tools/:name': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/mcp-servers': { caller: 'member', tenancy: 'own' },
  'POST /v1/mcp-servers': {
    caller: 'admin',
    tenancy: 'own',
    body: (tenant) => ({
      transport: 'streamable_http',
      name: `probe-${tenant.label}`,
      url: mcpUrlOf(tenant),
    }),
  },
  'GET /v1/mcp-servers/:name': { caller: 'member', tenancy: 'scoped' },
  'DELETE /v1/mcp-servers/:name': { caller: 'admin', tenancy: 'scoped' },
  'GET /v1/swarm-templates': { caller: 'member', tenancy: 'own' },
  'POST /v1/swarm-templates': {
    caller: 'admin',
    tenancy: 'own',
    body: (tenant) => ({ name: `probe-${tenant.label}`, ...templateBody(tenant) }),
    crossTenant: (victim) => [
      {
        label: "a template naming the victim's tool",
        body: { name: 'stolen-tools', ...templateBody(victim) },
        expect: 'refused',
      },
    ],
  },
  'GET /v1/swarm-templates/:name': { caller: 'member', tenancy: 'scoped' },
  'PUT /v1/swarm-templates/:name': { caller: 'admin', tenancy: 'scoped', body: templateBody },
  'DELETE /v1/swarm-templates/:name': { caller: 'admin', tenancy: 'scoped' },
};

const mcpUrls = new Map<string, string>();

/** The (loopback) MCP server a tenant's servers point at. */
function mcpUrlOf(tenant: ProbeTenant): string {
  return mcpUrls.get(tenant.label) ?? 'http://127.0.0.1:9/mcp';
}

/** The value of a path parameter for a tenant's own resources. */
export function parameterValue(routeUrl: string, parameter: string, tenant: ProbeTenant): string {
  switch (parameter) {
    case 'organizationId':
      return tenant.organizationId;
    case 'keyId':
      return tenant.memberKeyId;
    case 'budgetId':
      return tenant.budgetId;
    case 'planId':
      return routeUrl.startsWith('/v1/admin/plans') ? 'premium' : '';
    case 'provider':
      return 'localllm';
    case 'id':
      return tenant.runId;
    case '*':
      return 'sim/fast';
    case 'name':
      if (routeUrl.startsWith('/v1/tools')) return tenant.toolName;
      if (routeUrl.startsWith('/v1/mcp-servers')) return tenant.serverName;
      return tenant.templateName;
  }
  throw new Error(`no probe value for the parameter '${parameter}' of ${routeUrl}`);
}

/** The path parameters of a route pattern, in order (`*` for a wildcard). */
export function parametersOf(routeUrl: string): string[] {
  return [...routeUrl.matchAll(/:([A-Za-z]+)|\*/g)].map((match) => match[1] ?? '*');
}

/** The route's path with each parameter taken from `values` (raw: the caller encodes). */
export function fillPath(routeUrl: string, values: (parameter: string) => string): string {
  return routeUrl.replace(/:([A-Za-z]+)|\*/g, (_match, name: string | undefined) => values(name ?? '*'));
}

export function withQuery(path: string, query: Record<string, string> | undefined): string {
  if (!query || Object.keys(query).length === 0) return path;
  return `${path}?${new URLSearchParams(query).toString()}`;
}

export interface ProbeResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Sends a probe: inject, or for streaming routes real HTTP where a 200 stream is cut after its headers. */
export async function sendProbe(
  testApp: TestApp,
  request: ProbeRequest,
  options: { streaming?: boolean } = {},
): Promise<ProbeResponse> {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.secret) headers.authorization = `Bearer ${request.secret}`;
  let payload: string | undefined;
  if (request.payload !== undefined) {
    payload = typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload);
    headers['content-type'] ??= 'application/json';
  }
  if (!options.streaming) {
    const response = await testApp.app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }
  // why: fetch cannot send a body with GET; such probes go through inject above.
  if (payload !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
    return sendProbe(testApp, request, { streaming: false });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(`${testApp.baseUrl}${request.url}`, {
      method: request.method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      signal: controller.signal,
    });
    const responseHeaders = Object.fromEntries(response.headers.entries());
    if (response.status === 200) {
      controller.abort();
      return { status: 200, headers: responseHeaders, body: '' };
    }
    return { status: response.status, headers: responseHeaders, body: await response.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with a response: a 5xx, a missing request id, or an error body not in the documented shape. */
export function responseProblem(response: ProbeResponse, errorFormat?: 'anthropic'): string | null {
  if (response.status >= 500) return `a ${response.status}: ${response.body.slice(0, 300)}`;
  if (typeof response.headers['x-request-id'] !== 'string') return 'no x-request-id header';
  if (response.status < 400) return null;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `a ${response.status} whose body is not JSON: ${response.body.slice(0, 200)}`;
  }
  const error = (body as { error?: Record<string, unknown> }).error;
  if (typeof error !== 'object' || error === null) return `no error object: ${response.body.slice(0, 200)}`;
  if (errorFormat === 'anthropic') {
    const anthropic = body as { type?: unknown };
    return anthropic.type === 'error' && typeof error.type === 'string' && typeof error.message === 'string'
      ? null
      : `not Anthropic's error shape: ${response.body.slice(0, 200)}`;
  }
  for (const key of ['message', 'type', 'code', 'param']) {
    if (!(key in error)) return `the error has no '${key}': ${response.body.slice(0, 200)}`;
  }
  if (typeof error.code !== 'string' || typeof error.message !== 'string') return 'code/message not strings';
  return null;
}

/** A resolver for the probe apps: `*.public.test` is public, `*.private.test` what the map says; nothing else resolves. */
export function probeHostResolver(
  privateNames: Record<string, string[]> = {},
): HostResolver & { set(hostname: string, addresses: string[]): void } {
  const names = new Map<string, string[]>(Object.entries(privateNames));
  const resolver = (async (hostname: string) => {
    const addresses = names.get(hostname) ?? (hostname.endsWith('.public.test') ? ['93.184.216.34'] : null);
    if (!addresses) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  }) as HostResolver & { set(hostname: string, addresses: string[]): void };
  resolver.set = (hostname, addresses) => {
    names.set(hostname, addresses);
  };
  return resolver;
}

/** A real, non-simulated provider on the discard port of loopback, so provider keys can be stored and nothing is reached. */
export const probeProviderConfig = {
  openai_compatible: [
    { name: 'localllm', base_url: 'http://127.0.0.1:9/v1', models: [{ id: 'model', context_window: 8192 }] },
  ],
};

function expectStatus(what: string, response: { statusCode: number; body: string }, status: number) {
  if (response.statusCode !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
}

/**
 * Creates an organisation with one of everything a tenant owns: keys, a budget, an HTTP tool, an
 * MCP server (on `mcpUrl`), a template, a queued swarm run, a webhook, a cache policy, key rate
 * limits, a provider key and some usage. Names carry a random part, so any leak is unmistakable.
 */
export async function createProbeTenant(
  testApp: TestApp,
  label: string,
  options: { mcpUrl: string; webhookUrl?: string },
): Promise<ProbeTenant> {
  const random = randomBytes(4).toString('hex');
  const platform = { authorization: `Bearer ${testApp.adminKey}` };
  const send = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
    status = 200,
  ) => {
    const response = await testApp.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    expectStatus(`${method} ${url}`, response, status);
    return response.json<Record<string, unknown>>();
  };
  const organizationName = `${label}-org-${random}`;
  const organization = await send(
    'POST',
    '/v1/admin/organizations',
    platform,
    { name: organizationName },
    201,
  );
  const organizationId = organization.id as string;
  const base = `/v1/admin/organizations/${organizationId}`;
  const adminKey = await send(
    'POST',
    `${base}/keys`,
    platform,
    { name: `${label} admin`, role: 'admin' },
    201,
  );
  const memberKey = await send(
    'POST',
    `${base}/keys`,
    platform,
    { name: `${label} member`, role: 'member' },
    201,
  );
  const asAdmin = { authorization: `Bearer ${adminKey.secret as string}` };
  const asMember = { authorization: `Bearer ${memberKey.secret as string}` };
  await send('PUT', `${base}/tool-network-allowlist`, platform, { entries: ['127.0.0.1'] });
  const endUser = `${label}-user-${random}`;
  const budget = await send(
    'POST',
    `${base}/budgets`,
    asAdmin,
    { scope: 'end_user', subject: endUser, limit_usd: 1000, period: 'month' },
    201,
  );
  const toolName = `${label}_tool_${random}`;
  await send(
    'POST',
    '/v1/tools',
    asAdmin,
    {
      name: toolName,
      description: 'Looks up weather.',
      url: `https://${label}-tools-${random}.public.test/run`,
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
    201,
  );
  const serverName = `${label}-server-${random}`;
  mcpUrls.set(label, options.mcpUrl);
  await send(
    'POST',
    '/v1/mcp-servers',
    asAdmin,
    { transport: 'streamable_http', name: serverName, url: options.mcpUrl },
    201,
  );
  const templateName = `${label}-template-${random}`;
  await send(
    'POST',
    '/v1/swarm-templates',
    asAdmin,
    {
      name: templateName,
      description: 'A template of its own.',
      agents: [{ role: 'writer', instructions: 'Write.', tools: [toolName] }],
    },
    201,
  );
  const run = await send(
    'POST',
    '/v1/swarms',
    asMember,
    { task: `A ${label} task ${random}.`, agents: [{ role: 'poet', instructions: 'Write.' }] },
    202,
  );
  const webhookUrl = options.webhookUrl ?? `http://127.0.0.1:9/${label}-hook-${random}`;
  await send('PUT', `${base}/webhook`, asAdmin, { url: webhookUrl });
  await send('PUT', `${base}/cache-policy`, asAdmin, { enabled: true, ttl_seconds: 77 });
  await send('PUT', `${base}/keys/${memberKey.id as string}/rate-limits`, asAdmin, {
    requests_per_minute: 4242,
  });
  const providerKey = `sk-${label}-provider-${random}`;
  const providerBaseUrl = `https://${label}-llm-${random}.public.test/v1`;
  await send('PUT', `${base}/provider-keys/localllm`, asAdmin, {
    api_key: providerKey,
    base_url: providerBaseUrl,
  });
  await send('POST', '/v1/chat/completions', asMember, { ...chatBody(), user: endUser });
  return {
    label,
    organizationId,
    organizationName,
    admin: adminKey.secret as string,
    adminKeyId: adminKey.id as string,
    member: memberKey.secret as string,
    memberKeyId: memberKey.id as string,
    budgetId: budget.id as string,
    toolName,
    serverName,
    templateName,
    runId: run.id as string,
    webhookUrl,
    providerKey,
    providerBaseUrl,
    endUser,
  };
}

/** The strings that identify a tenant's resources: none may appear in another tenant's answers. */
export function markersOf(tenant: ProbeTenant): string[] {
  return [
    tenant.organizationId,
    tenant.organizationName,
    tenant.admin,
    tenant.adminKeyId,
    tenant.member,
    tenant.memberKeyId,
    tenant.budgetId,
    tenant.toolName,
    tenant.serverName,
    tenant.templateName,
    tenant.runId,
    new URL(tenant.webhookUrl).pathname,
    tenant.providerKey,
    new URL(tenant.providerBaseUrl).hostname,
    tenant.endUser,
  ];
}

/** The registered routes a suite must probe: all but HEAD twins of GET routes. */
export function probedRoutes(testApp: TestApp): RouteKey[] {
  return testApp.app
    .registeredRoutes()
    .filter((route) => route.method !== 'HEAD')
    .map((route) => `${route.method} ${route.url}`);
}

/** Routes without a case, and cases whose route no longer exists. */
export function coverageGaps(testApp: TestApp): { unprobed: RouteKey[]; stale: RouteKey[] } {
  const routes = new Set(probedRoutes(testApp));
  return {
    unprobed: [...routes].filter((route) => !(route in routeCases)),
    stale: Object.keys(routeCases).filter((route) => !routes.has(route)),
  };
}

export function splitRouteKey(route: RouteKey): { method: string; url: string } {
  const [method = '', url = ''] = route.split(' ');
  return { method, url };
}
