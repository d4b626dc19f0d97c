import type { HostResolver } from '../../src/agents/tools/index.ts';
import { type ProbeRequest, type ProbeTenant, type RouteKey, routeCases } from './route-probe-cases.ts';
import type { TestApp } from './test-app.ts';

/** Helpers of the route-probe suites: paths filled for a tenant, sending a probe, judging its answer. */

export * from './route-probe-cases.ts';
export { createProbeTenant, markersOf, probeProviderConfig } from './route-probe-tenant.ts';

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
    case 'responseId':
      return tenant.responseId;
    case 'conversationId':
      return tenant.conversationId;
    case 'itemId':
      return tenant.conversationItemId;
    case 'fileId':
      return tenant.fileId;
    case 'batchId':
      return tenant.batchId;
    case 'messageBatchId':
      return tenant.messageBatchId;
    case 'knowledgeBaseId':
      return tenant.knowledgeBaseId;
    case 'documentId':
      return tenant.knowledgeDocumentId;
    case 'userId':
      return tenant.userId;
    case 'teamId':
      return tenant.teamId;
    case 'invitationId':
      return tenant.invitationId;
    case '*':
      return 'sim/fast';
    case 'file':
      return 'swagger-ui.css';
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
