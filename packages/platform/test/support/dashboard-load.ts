import { addDocumentsAndWait, bearerRequest, createKnowledgeBase } from './knowledge-test-support.ts';
import { waitForRun } from './swarm-test-support.ts';
import { createTenant, type TestApp } from './test-app.ts';

/** The platform config the load needs: cache on, fault directives on, sim/fast priced. */
export const dashboardLoadConfig = {
  cache: { enabled: true },
  providers: { sim: { fault_directives: true } },
  prices: { 'sim/fast': { input_per_million: '1', output_per_million: '4' } },
};

/** What a load request answered, by status, so the test can say which feature did not work. */
export type StatusCounts = Record<string, number>;

async function send(
  baseUrl: string,
  secret: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  payload?: unknown,
): Promise<Response> {
  const response = await fetch(`${baseUrl}${path}`, {
    ...bearerRequest(method, secret, payload),
    signal: AbortSignal.timeout(30_000),
  });
  // why read to the end: a streamed answer is only complete (and metered) once its body is read.
  await response.text();
  return response;
}

const chatBody = (content: string, stream = false) => ({
  model: 'sim/fast',
  temperature: 0,
  max_tokens: 16,
  stream,
  messages: [{ role: 'user', content }],
});

/**
 * A short bounded load over real HTTP that exercises every feature a dashboard panel shows: chat
 * JSON and streamed, cache hits, provider failures (5xx), 4xx, a rate-limit refusal, a budget,
 * embeddings, a swarm run, knowledge ingestion, probes. Returns the statuses it got, per step.
 */
export async function driveDashboardLoad(testApp: TestApp): Promise<Record<string, StatusCounts>> {
  const { baseUrl, adminKey } = testApp;
  const statuses: Record<string, StatusCounts> = {};
  const record = (step: string, response: Response) => {
    const counts = statuses[step] ?? {};
    counts[response.status] = (counts[response.status] ?? 0) + 1;
    statuses[step] = counts;
  };
  const tenant = await createTenant(testApp, { name: 'observed', role: 'admin' });
  record(
    'budget',
    await send(baseUrl, adminKey, 'POST', `/v1/admin/organizations/${tenant.organizationId}/budgets`, {
      scope: 'organization',
      limit_usd: '1',
      period: 'month',
    }),
  );
  for (let index = 0; index < 6; index += 1) {
    record(
      'chat',
      await send(baseUrl, tenant.secret, 'POST', '/v1/chat/completions', chatBody(`question ${index}`)),
    );
    // The same request again: answered from the cache.
    record(
      'cached',
      await send(baseUrl, tenant.secret, 'POST', '/v1/chat/completions', chatBody(`question ${index}`)),
    );
    record(
      'stream',
      await send(baseUrl, tenant.secret, 'POST', '/v1/chat/completions', chatBody(`story ${index}`, true)),
    );
  }
  for (let index = 0; index < 3; index += 1) {
    record(
      'provider-error',
      await send(
        baseUrl,
        tenant.secret,
        'POST',
        '/v1/chat/completions',
        chatBody(`fail ${index} [[sim:error=503]]`),
      ),
    );
  }
  record('not-found', await send(baseUrl, tenant.secret, 'GET', '/v1/no-such-route'));
  record('unauthenticated', await send(baseUrl, 'sk-kimi-not-a-key', 'GET', '/v1/models'));
  record(
    'embeddings',
    await send(baseUrl, tenant.secret, 'POST', '/v1/embeddings', { model: 'sim/embed', input: ['a', 'b'] }),
  );

  const limited = await createTenant(testApp, { name: 'limited' });
  record(
    'rate-limits',
    await send(baseUrl, adminKey, 'PUT', `/v1/admin/organizations/${limited.organizationId}/rate-limits`, {
      requests_per_minute: 1,
      tokens_per_minute: 100_000,
    }),
  );
  for (let index = 0; index < 2; index += 1) {
    record(
      'rate-limited',
      await send(baseUrl, limited.secret, 'POST', '/v1/chat/completions', chatBody('hello')),
    );
  }

  const knowledgeBaseId = await createKnowledgeBase(baseUrl, tenant.secret, 'observed documents');
  await addDocumentsAndWait(baseUrl, tenant.secret, knowledgeBaseId, [
    { title: 'Runbook', text: 'Restart the worker when the queue backs up. '.repeat(40) },
  ]);
  statuses.knowledge = { ready: 1 };

  const created = await fetch(
    `${baseUrl}/v1/swarms`,
    bearerRequest('POST', tenant.secret, {
      task: 'Summarise why observability matters',
      model: 'sim/fast',
      max_agents: 2,
    }),
  );
  const run = (await created.json()) as { id: string };
  record('swarm', created);
  const finished = await waitForRun(baseUrl, tenant.secret, run.id, 60_000);
  statuses.swarmRun = { [finished.status]: 1 };

  record('ready', await send(baseUrl, '', 'GET', '/readyz'));
  record('health', await send(baseUrl, '', 'GET', '/healthz'));
  return statuses;
}
