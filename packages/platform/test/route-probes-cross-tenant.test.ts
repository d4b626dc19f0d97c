import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphqlCrossTenantCases } from './support/graphql-probe-cases.ts';
import { collect, webSocketClient } from './support/graphql-test-support.ts';
import { startHttpMcpServer } from './support/mcp-test-server.ts';
import {
  type CrossTenantVariant,
  coverageGaps,
  createProbeTenant,
  fillPath,
  markersOf,
  type ProbeRequest,
  type ProbeResponse,
  type ProbeTenant,
  parameterValue,
  probedRoutes,
  probeHostResolver,
  probeProviderConfig,
  responseProblem,
  routeCases,
  sendProbe,
  splitRouteKey,
  withQuery,
} from './support/route-probes.ts';
import { startTestApp } from './support/test-app.ts';

/**
 * Organisation A's admin and member keys against organisation B's resources, on every route:
 * nothing of B may be read, listed, changed or deleted, and none of A's answers may carry B's ids
 * or names (beyond what A itself sent). B's resources are checked intact at the end.
 */
const mcp = await startHttpMcpServer();
const testApp = await startTestApp({
  listen: true,
  config: { providers: probeProviderConfig },
  resolveHost: probeHostResolver(),
  allowInsecureWebhooks: true,
  swarms: { runWorker: false },
});
const attacker: ProbeTenant = await createProbeTenant(testApp, 'alpha', { mcpUrl: mcp.url });
const victim: ProbeTenant = await createProbeTenant(testApp, 'bravo', { mcpUrl: mcp.url });
const victimMarkers = markersOf(victim);

afterAll(async () => {
  await testApp.close();
  await mcp.close();
});

const attackerKeys = [
  { role: 'admin', secret: attacker.admin },
  { role: 'member', secret: attacker.member },
];

/** The victim's markers in a response that the request did not itself contain. */
function leakedMarkers(request: ProbeRequest, response: ProbeResponse): string[] {
  const sent = `${decodeURIComponent(request.url)} ${JSON.stringify(request.payload ?? '')}`;
  return victimMarkers.filter((marker) => !sent.includes(marker) && response.body.includes(marker));
}

/** The route aimed at the victim's own resources. */
function victimPath(routeUrl: string): string {
  return fillPath(routeUrl, (parameter) =>
    encodeURIComponent(parameterValue(routeUrl, parameter, victim)).replace(/%2F/g, '/'),
  );
}

function expectationProblem(
  expectation: 'denied' | 'refused' | 'ignored',
  response: ProbeResponse,
): string | null {
  if (expectation === 'denied' && response.status !== 403 && response.status !== 404)
    return `expected 403 or 404, got ${response.status}: ${response.body.slice(0, 200)}`;
  if (expectation === 'refused' && (response.status < 400 || response.status >= 500))
    return `expected a 4xx, got ${response.status}: ${response.body.slice(0, 200)}`;
  return null;
}

describe("another organisation's keys on every route", () => {
  it('probes every registered route, and only registered ones', () => {
    expect(coverageGaps(testApp)).toEqual({ unprobed: [], stale: [] });
  });

  for (const route of probedRoutes(testApp)) {
    const routeCase = routeCases[route];
    it(`${route}: nothing of the other organisation is reached or shown`, async () => {
      expect(routeCase, `no probe case for ${route}`).toBeDefined();
      if (!routeCase) return;
      const { method, url } = splitRouteKey(route);
      const probes: Array<{ request: ProbeRequest; expectation: 'denied' | 'refused' | 'ignored' }> = [];
      for (const key of attackerKeys) {
        // The body is valid for the caller's own organisation: only the path points at the victim.
        const request = {
          method,
          secret: key.secret,
          ...(routeCase.body ? { payload: routeCase.body(attacker) } : {}),
        };
        if (routeCase.tenancy === 'scoped' || routeCase.tenancy === 'platform') {
          probes.push({
            request: { ...request, url: withQuery(victimPath(url), routeCase.query) },
            expectation: 'denied',
          });
          continue;
        }
        probes.push({
          request: { ...request, url: withQuery(url, routeCase.query) },
          expectation: 'ignored',
        });
        for (const variant of routeCase.crossTenant?.(victim) ?? ([] as CrossTenantVariant[])) {
          probes.push({
            request: {
              method,
              secret: key.secret,
              url: withQuery(url, variant.query),
              ...(variant.body
                ? { payload: variant.body }
                : routeCase.body
                  ? { payload: routeCase.body(attacker) }
                  : {}),
            },
            expectation: variant.expect,
          });
        }
      }
      const failures: string[] = [];
      for (const { request, expectation } of probes) {
        const response = await sendProbe(testApp, request, { streaming: routeCase.streaming ?? false });
        const where = `${request.method} ${request.url.slice(0, 140)}`;
        const problem =
          responseProblem(response, routeCase.errorFormat) ?? expectationProblem(expectation, response);
        if (problem) failures.push(`${where} → ${problem}`);
        const leaked = leakedMarkers(request, response);
        if (leaked.length > 0) failures.push(`${where} → shows the victim's ${leaked.join(', ')}`);
      }
      expect(failures).toEqual([]);
    }, 60_000);
  }

  it("the swarm WebSocket refuses to subscribe to the victim's run", async () => {
    const socket = new WebSocket(`${testApp.baseUrl.replace('http', 'ws')}/v1/swarms/ws`, {
      headers: { authorization: `Bearer ${attacker.member}` },
    });
    const messages: Array<Record<string, unknown>> = [];
    socket.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString())));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'subscribe', run_id: victim.runId }));
    await expect.poll(() => messages.length, { timeout: 5000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.close();
    expect(messages).toEqual([expect.objectContaining({ type: 'error', run_id: victim.runId })]);
  });

  it('refuses every GraphQL operation on the victim (NOT_FOUND, PERMISSION_DENIED or a refused cursor)', async () => {
    const failures: string[] = [];
    // INVALID_REQUEST: a cursor naming the victim's resource is refused as not one of the caller's.
    const allowed = new Set(['NOT_FOUND', 'PERMISSION_DENIED', 'INVALID_REQUEST']);
    for (const key of attackerKeys) {
      for (const probe of graphqlCrossTenantCases(victim)) {
        const request: ProbeRequest = { method: 'POST', url: '/graphql', payload: { query: probe.query } };
        const response = await sendProbe(testApp, { ...request, secret: key.secret });
        const where = `${key.role}: ${probe.label}`;
        const leaked = leakedMarkers(request, response);
        if (leaked.length > 0) failures.push(`${where} → shows the victim's ${leaked.join(', ')}`);
        if (response.status !== 200) {
          failures.push(`${where} → ${response.status}: ${response.body.slice(0, 200)}`);
          continue;
        }
        const body = JSON.parse(response.body) as {
          data?: unknown;
          errors?: Array<{ extensions?: { code?: string } }>;
        };
        const codes = (body.errors ?? []).map((error) => error.extensions?.code ?? 'none');
        const unexpected = codes.filter((code) => !allowed.has(code));
        if (unexpected.length > 0) failures.push(`${where} → ${unexpected.join(', ')}`);
        if (probe.expect === 'refused') {
          if (codes.length === 0) failures.push(`${where} → answered without an error`);
          if (body.data !== null && body.data !== undefined) {
            failures.push(`${where} → data ${JSON.stringify(body.data).slice(0, 200)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("the GraphQL subscription refuses the victim's run events", async () => {
    const client = webSocketClient(testApp.baseUrl, { connectionParams: { authorization: attacker.member } });
    const subscription = collect<{ data?: unknown; errors?: Array<{ extensions: { code: string } }> }>(
      client,
      {
        query: 'subscription($id: ID!) { swarmEvents(swarmId: $id) { sequence type data } }',
        variables: { id: victim.runId },
      },
    );
    await subscription.done;
    await client.dispose();
    expect(subscription.items).toHaveLength(1);
    expect(subscription.items[0]?.data ?? null).toBeNull();
    expect(subscription.items[0]?.errors?.map((error) => error.extensions.code)).toEqual(['NOT_FOUND']);
  });

  it('leaves every resource of the victim as it was', async () => {
    const as = { authorization: `Bearer ${victim.admin}` };
    const base = `/v1/admin/organizations/${victim.organizationId}`;
    const read = async (url: string) => {
      const response = await testApp.app.inject({ method: 'GET', url, headers: as });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      return response.json<Record<string, unknown>>();
    };
    expect((await read(base)).status ?? 'active').not.toBe('disabled');
    expect((await read(`${base}/keys/${victim.memberKeyId}`)).revoked_at).toBeNull();
    expect((await read(`${base}/keys/${victim.adminKeyId}`)).revoked_at).toBeNull();
    expect((await read(`${base}/budgets/${victim.budgetId}`)).limit_usd).toBe('1000');
    expect((await read(`/v1/tools/${victim.toolName}`)).name).toBe(victim.toolName);
    expect((await read(`/v1/mcp-servers/${victim.serverName}`)).name).toBe(victim.serverName);
    expect((await read(`/v1/swarm-templates/${victim.templateName}`)).name).toBe(victim.templateName);
    expect((await read(`/v1/swarms/${victim.runId}`)).status).toBe('queued');
    expect((await read(`/v1/responses/${victim.responseId}`)).status).toBe('completed');
    expect((await read(`/v1/files/${victim.fileId}`)).purpose).toBe('batch');
    expect((await read(`/v1/batches/${victim.batchId}`)).cancelling_at).toBeNull();
    expect((await read(`/v1/messages/batches/${victim.messageBatchId}`)).cancel_initiated_at).toBeNull();
    expect((await read(`${base}/webhook`)).url).toBe(victim.webhookUrl);
    expect((await read(`${base}/cache-policy`)).stored).toMatchObject({ enabled: true, ttl_seconds: 77 });
    expect((await read(`${base}/keys/${victim.memberKeyId}/rate-limits`)).requests_per_minute).toBe(4242);
    expect(((await read(`${base}/provider-keys`)).data as unknown[]).length).toBe(1);
    expect((await read(`/v1/knowledge-bases/${victim.knowledgeBaseId}`)).name).not.toBe('stolen');
    expect((await read(`${base}/members/${victim.userId}`)).id).toBe(victim.userId);
    expect((await read(`${base}/teams/${victim.teamId}`)).id).toBe(victim.teamId);
    expect((await read(`${base}/tool-network-allowlist`)).entries).toEqual(['127.0.0.1']);
    const usage = await read('/v1/usage?group_by=key');
    expect((usage.totals as { requests: number }).requests).toBeGreaterThanOrEqual(1);
    const member = await testApp.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${victim.member}` },
    });
    expect(member.statusCode).toBe(200);
  });
});
