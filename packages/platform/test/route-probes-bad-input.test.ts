import { afterAll, describe, expect, it } from 'vitest';
import { startHttpMcpServer } from './support/mcp-test-server.ts';
import {
  coverageGaps,
  createProbeTenant,
  fillPath,
  type ProbeRequest,
  type ProbeTenant,
  parametersOf,
  parameterValue,
  probedRoutes,
  probeHostResolver,
  probeProviderConfig,
  type RouteCase,
  responseProblem,
  routeCases,
  sendProbe,
  splitRouteKey,
  withQuery,
} from './support/route-probes.ts';
import { startTestApp } from './support/test-app.ts';

/**
 * Bad input sent to every registered route: malformed JSON, wrong types, huge strings, unknown
 * fields, bad path parameters (`%ff`, very long, traversal, nonexistent) and bad query strings.
 * Nothing may be a 5xx, and every error has the documented shape and a request id.
 */
const bodyLimit = 256 * 1024;
const mcp = await startHttpMcpServer();
const testApp = await startTestApp({
  listen: true,
  config: { server: { body_limit_bytes: bodyLimit }, providers: probeProviderConfig },
  resolveHost: probeHostResolver(),
  allowInsecureWebhooks: true,
  swarms: { runWorker: false },
});
const alpha: ProbeTenant = await createProbeTenant(testApp, 'alpha', { mcpUrl: mcp.url });

afterAll(async () => {
  await testApp.close();
  await mcp.close();
});

const huge = 'x'.repeat(100_000);

/** Values a field should never accept as they are, or accepts and must survive. */
const wrongValues: unknown[] = [
  null,
  Number.MAX_SAFE_INTEGER * 4096,
  -1,
  1.5,
  huge,
  '',
  '%ff\u0000<script>',
  [],
  [huge],
  {},
  { nested: { deeper: [1, 'two', null] } },
  true,
];

const rawBodies = [
  '{"unterminated": ',
  '{"a": 1,}',
  "{'single': 'quotes'}",
  '[]',
  '[1, 2, 3]',
  'null',
  '"a string"',
  '42',
  'true',
  '{}',
  '{"__proto__": {"role": "platform_admin"}, "constructor": {"prototype": {"admin": true}}}',
  '\u0000\u0001binary',
];

const badPathValues = [
  '%ff',
  '%E0%A4%A',
  'x'.repeat(101),
  'x'.repeat(99),
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%00',
  "'%20OR%201%3D1%20--",
  '%F0%9F%92%A5',
  'does-not-exist',
];

const badQueries = [
  'limit=-1',
  'limit=abc',
  'limit=1e309',
  'limit=1&limit=2',
  'unknown_parameter=1',
  'from=not-a-date&to=2020-13-45',
  '%ff=%ff',
  `after=${'x'.repeat(5000)}`,
  'status=%00',
  'group_by[]=model',
  'organization_id=',
];

function callerSecret(routeCase: RouteCase): string | undefined {
  switch (routeCase.caller) {
    case 'none':
      return undefined;
    case 'member':
      return alpha.member;
    case 'admin':
      return alpha.admin;
    case 'platform':
      return testApp.adminKey;
  }
}

/** The route's path on alpha's own resources; DELETE routes on nonexistent ones, so probes delete nothing. */
function ownPath(routeUrl: string, method: string): string {
  return fillPath(routeUrl, (parameter) =>
    method === 'DELETE' && parameter !== '*'
      ? `missing-${parameter}`
      : encodeURIComponent(parameterValue(routeUrl, parameter, alpha)).replace(/%2F/g, '/'),
  );
}

function badInputRequests(route: string, routeCase: RouteCase): ProbeRequest[] {
  const { method, url } = splitRouteKey(route);
  const secret = callerSecret(routeCase);
  const path = ownPath(url, method);
  const requests: ProbeRequest[] = [];
  const request = (fields: Omit<ProbeRequest, 'method' | 'secret'>): ProbeRequest => ({
    method,
    ...(secret ? { secret } : {}),
    ...fields,
  });
  for (const parameter of parametersOf(url)) {
    for (const value of badPathValues) {
      const mutated = fillPath(url, (name) =>
        name === parameter ? value : encodeURIComponent(parameterValue(url, name, alpha)),
      );
      requests.push(request({ url: mutated, ...(routeCase.body ? { payload: routeCase.body(alpha) } : {}) }));
    }
  }
  for (const query of badQueries) {
    requests.push(
      request({ url: `${path}?${query}`, ...(routeCase.body ? { payload: routeCase.body(alpha) } : {}) }),
    );
  }
  const target = withQuery(path, routeCase.query);
  if (method === 'GET' || method === 'DELETE') {
    requests.push(request({ url: target, payload: '{"not": "expected"' }));
    return requests;
  }
  for (const raw of rawBodies) requests.push(request({ url: target, payload: raw }));
  requests.push(request({ url: target, payload: 'name=value', headers: { 'content-type': 'text/plain' } }));
  requests.push(request({ url: target, payload: '<a/>', headers: { 'content-type': 'application/xml' } }));
  requests.push(request({ url: target, payload: JSON.stringify({ filler: 'x'.repeat(bodyLimit + 10) }) }));
  const valid = routeCase.body?.(alpha) ?? {};
  requests.push(request({ url: target, payload: { ...valid, unknown_field: 'surprise' } }));
  for (const [field] of Object.entries(valid)) {
    for (const value of wrongValues)
      requests.push(request({ url: target, payload: { ...valid, [field]: value } }));
  }
  return requests;
}

describe('bad input on every route', () => {
  it('probes every registered route, and only registered ones', () => {
    expect(coverageGaps(testApp)).toEqual({ unprobed: [], stale: [] });
  });

  for (const route of probedRoutes(testApp)) {
    const routeCase = routeCases[route];
    it(`${route}: no 5xx, every error in the documented shape`, async () => {
      expect(routeCase, `no probe case for ${route}`).toBeDefined();
      if (!routeCase) return;
      const failures: string[] = [];
      for (const request of badInputRequests(route, routeCase)) {
        const response = await sendProbe(testApp, request, { streaming: routeCase.streaming ?? false });
        const problem = responseProblem(response, routeCase.errorFormat);
        if (problem) {
          const payload =
            typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload);
          failures.push(
            `${request.method} ${request.url.slice(0, 120)} ${payload?.slice(0, 120) ?? ''} → ${problem}`,
          );
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }
});
