import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedProvider } from '../src/providers/simulated/index.ts';
import { loadTokenizer } from '../src/support/index.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The proof, over real HTTP with the simulated provider as fault injector: retries and
 * fallbacks under a 30% failure rate, Retry-After honoured, upstream quotas respected before the
 * provider says 429, a breaker that opens, holds and recovers, streams that fall back before their
 * first byte, and `auto` decisions that follow the documented policy.
 */

/** The draw the simulated provider's fault decision sees: below a model's failure_rate means fail. */
const faultDraw = { value: 0.99 };
/** Draws used first, one per call, before falling back to `faultDraw.value`. */
const scriptedDraws: number[] = [];
const controlledRandom = () => scriptedDraws.shift() ?? faultDraw.value;

let testApp: TestApp;
let client: OpenAI;
let secret: string;

async function providerCalls(deployment: string, outcome: 'success' | 'failure'): Promise<number> {
  const metrics = await testApp.app.inject({ method: 'GET', url: '/metrics' });
  const line = metrics.body
    .split('\n')
    .find((entry) =>
      entry.startsWith(`kimi_provider_calls_total{deployment="${deployment}",outcome="${outcome}"}`),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

beforeAll(async () => {
  const tokenizer = await loadTokenizer();
  testApp = await startTestApp({
    listen: true,
    config: {
      providers: {
        sim: {
          fault_directives: true,
          models: {
            flaky30: { failure_rate: 0.3 },
            backup: {},
            quota: {},
          },
        },
      },
      routing: {
        defaults: {
          retry: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1000 },
          // Roomy enough that the 2,000-request run leaves retries for the tests after it.
          retry_budget: { ratio: 0.5, minimum_per_second: 50, window_ms: 10_000 },
          breaker: {
            window_ms: 10_000,
            minimum_requests: 5,
            failure_ratio: 0.5,
            cooldown_ms: 400,
            half_open_probes: 1,
          },
        },
        deployments: { 'sim/quota': { rpm: 5 } },
        groups: {
          resilient: { deployments: [{ model: 'sim/flaky30' }], fallbacks: ['sim/backup'] },
          quota: { deployments: [{ model: 'sim/quota' }], fallbacks: ['sim/backup'] },
          guarded: { deployments: [{ model: 'scripted/switchable' }], fallbacks: ['sim/backup'] },
          'retry-after': { deployments: [{ model: 'scripted/rate-limited' }], fallbacks: ['sim/backup'] },
          streamy: { deployments: [{ model: 'scripted/switchable' }], fallbacks: ['sim/backup'] },
        },
      },
    },
    // A second simulated provider whose faults the test steers through `faultDraw`.
    extraProviders: [
      renamed(
        createSimulatedProvider({
          tokenizer,
          random: controlledRandom,
          faultDirectives: true,
          models: {
            switchable: { failure_rate: 0.5 },
            'rate-limited': { rate_limit_rate: 0.5, retry_after_ms: 250 },
          },
        }),
        'scripted',
      ),
    ],
  });
  secret = (await createTenant(testApp)).secret;
  client = new OpenAI({ apiKey: secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await testApp?.close();
});

describe('retries and fallbacks', () => {
  it('serves ≥ 99.9% of 2,000 requests while the primary fails 30% of calls with 5xx', async () => {
    let succeeded = 0;
    let fellBack = 0;
    let retried = 0;
    const total = 2000;
    let next = 0;
    const lanes = Array.from({ length: 16 }, async () => {
      while (next < total) {
        const index = next++;
        const { data, response } = await client.chat.completions
          .create({ model: 'resilient', messages: [{ role: 'user', content: `request ${index}` }] })
          .withResponse()
          .catch(() => ({ data: null, response: null }));
        if (data && response) {
          succeeded++;
          if (response.headers.get('x-kimi-fallback-reason')) fellBack++;
          if (Number(response.headers.get('x-kimi-attempts')) > 1) retried++;
        }
      }
    });
    await Promise.all(lanes);
    expect(succeeded / total).toBeGreaterThanOrEqual(0.999);
    expect(retried).toBeGreaterThan(0);
    expect(fellBack).toBeGreaterThan(0);
    expect(await providerCalls('sim/flaky30', 'failure')).toBeGreaterThan(400);
  }, 120_000);

  it('never retries a request the provider refused as invalid (4xx)', async () => {
    const before = await providerCalls('sim/flaky30', 'failure');
    const beforeOk = await providerCalls('sim/flaky30', 'success');
    const { response } = await client.chat.completions
      .create({ model: 'sim/flaky30', messages: [{ role: 'user', content: 'x [[sim:nonsense=1]]' }] })
      .withResponse()
      .catch((error: { status?: number; headers?: Headers }) => ({ response: error }));
    expect(response.status).toBe(400);
    const calls =
      (await providerCalls('sim/flaky30', 'failure')) -
      before +
      (await providerCalls('sim/flaky30', 'success')) -
      beforeOk;
    expect(calls).toBe(1);
    const rows = await testApp.database.query<{ attempts: number; status: number }>(
      "SELECT attempts, status FROM usage_records WHERE requested_model = 'sim/flaky30' AND status = 400",
    );
    expect(rows.rows.every((row) => row.attempts === 1)).toBe(true);
  });

  it('records the route, attempts and fallback reason on the usage record', async () => {
    faultDraw.value = 0; // scripted/switchable fails every call
    const { response } = await client.chat.completions
      .create({ model: 'guarded', messages: [{ role: 'user', content: 'record me' }] })
      .withResponse();
    faultDraw.value = 0.99;
    expect(response.headers.get('x-kimi-route')).toBe('sim/backup');
    const row = await testApp.database.query<{
      served_model: string;
      model_group: string;
      attempts: number;
      fallback_reason: string;
    }>(
      'SELECT served_model, model_group, attempts, fallback_reason FROM usage_records WHERE request_id = $1',
      [response.headers.get('x-request-id')],
    );
    expect(row.rows[0]).toMatchObject({ served_model: 'sim/backup', fallback_reason: 'error' });
    expect(row.rows[0]!.attempts).toBeGreaterThanOrEqual(2);
  });
});

describe('upstream rate limits', () => {
  it('honours Retry-After, then succeeds on the same deployment', async () => {
    // The first call draws 0.1 (< rate_limit_rate: a 429 with Retry-After 250 ms), the retry 0.99.
    scriptedDraws.push(0.1, 0.99);
    const started = performance.now();
    const { response } = await client.chat.completions
      .create({ model: 'retry-after', messages: [{ role: 'user', content: 'rate limited once' }] })
      .withResponse();
    const elapsed = performance.now() - started;
    expect(response.headers.get('x-kimi-route')).toBe('scripted/rate-limited');
    expect(response.headers.get('x-kimi-attempts')).toBe('2');
    expect(response.headers.get('x-kimi-fallback-reason')).toBeNull();
    expect(elapsed).toBeGreaterThanOrEqual(250);
  });

  it("stops sending before the upstream's own quota is hit, and diverts the rest", async () => {
    const before = await providerCalls('sim/quota', 'success');
    const routes: string[] = [];
    for (let index = 0; index < 8; index++) {
      const { response } = await client.chat.completions
        .create({ model: 'quota', messages: [{ role: 'user', content: `quota ${index}` }] })
        .withResponse();
      routes.push(
        `${response.headers.get('x-kimi-route')}:${response.headers.get('x-kimi-fallback-reason') ?? ''}`,
      );
    }
    expect((await providerCalls('sim/quota', 'success')) - before).toBe(5);
    expect(routes.slice(0, 5)).toEqual(Array(5).fill('sim/quota:'));
    expect(routes.slice(5)).toEqual(Array(3).fill('sim/backup:quota'));
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, sends nothing while open, and recovers through half-open', async () => {
    const ask = () =>
      client.chat.completions
        .create({ model: 'guarded', messages: [{ role: 'user', content: 'breaker' }] })
        .withResponse()
        .then(({ response }) => response.headers);
    const health = async () =>
      (
        (await (
          await fetch(`${testApp.baseUrl}/v1/providers/health`, {
            headers: { authorization: `Bearer ${secret}` },
          })
        ).json()) as {
          deployments: Array<{ deployment: string; breaker: { state: string } }>;
        }
      ).deployments.find((entry) => entry.deployment === 'scripted/switchable')!.breaker.state;

    faultDraw.value = 0; // every call to scripted/switchable fails
    for (let index = 0; index < 6 && (await health()) !== 'open'; index++) await ask();
    expect(await health()).toBe('open');

    const failuresWhileOpen = await providerCalls('scripted/switchable', 'failure');
    for (let index = 0; index < 5; index++) {
      const headers = await ask();
      expect(headers.get('x-kimi-route')).toBe('sim/backup');
      expect(headers.get('x-kimi-fallback-reason')).toBe('circuit_open');
    }
    expect(await providerCalls('scripted/switchable', 'failure')).toBe(failuresWhileOpen);

    faultDraw.value = 0.99; // the deployment recovers
    await new Promise((resolve) => setTimeout(resolve, 450));
    const probe = await ask();
    expect(probe.get('x-kimi-route')).toBe('scripted/switchable');
    expect(await health()).toBe('closed');
  });
});

describe('streams', () => {
  it('fall back transparently when the provider fails before the first byte', async () => {
    faultDraw.value = 0;
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'streamy', stream: true, messages: [{ role: 'user', content: 'stream me' }] })
      .withResponse();
    faultDraw.value = 0.99;
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(response.headers.get('x-kimi-route')).toBe('sim/backup');
  });

  it('end with an error event the openai SDK raises when they fail after content was sent', async () => {
    const stream = await client.chat.completions.create({
      model: 'streamy',
      stream: true,
      messages: [{ role: 'user', content: 'a long story [[sim:stream_fail_after=3]]' }],
    });
    let received = '';
    const error = await (async () => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(received.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });
});

describe('auto routing decisions (GET /v1/routing/explain)', () => {
  const explain = async (
    query: Record<string, string>,
    headers: Record<string, string> = {},
    key = secret,
  ) => {
    // POST carries a full chat body (a 150k-token prompt does not fit in a query string).
    const response = await fetch(`${testApp.baseUrl}/v1/routing/explain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: query.model, messages: [{ role: 'user', content: query.prompt }] }),
    });
    return (await response.json()) as {
      decision: { matched_rule: string; target: string; complexity: number };
      candidates: Array<{ deployment: string }>;
    };
  };

  it('follows the documented default policy', async () => {
    const complex =
      'Design a scalable architecture for a payment system. Explain the trade-offs step by step, analyze the ' +
      'failure modes, prove the consistency guarantees, and optimize the hot path:\n```ts\nconst pay = async (a) => a;\n```\n' +
      'What are the edge cases? Why? How would you compare both designs?\n' +
      'Context: the service settles card payments for many merchants across regions, with strict ordering per account. '.repeat(
        30,
      );
    const table: Array<[string, Record<string, string>, Record<string, string>, string, string]> = [
      ['a greeting', { model: 'auto', prompt: 'Hi there!' }, {}, 'default', 'sim/fast'],
      ['a complex design question', { model: 'auto', prompt: complex }, {}, 'complex', 'sim/smart'],
      [
        'a cost-optimised caller',
        { model: 'auto', prompt: 'Hi' },
        { 'x-kimi-cost-preference': 'cost' },
        'cost-optimised',
        'sim/mini',
      ],
      [
        'a 150k-token context',
        { model: 'auto', prompt: 'word '.repeat(150_000) },
        {},
        'long-context',
        'sim/smart',
      ],
    ];
    for (const [label, query, headers, rule, deployment] of table) {
      const result = await explain(query, headers);
      expect(result.decision.matched_rule, label).toBe(rule);
      expect(result.candidates[0]?.deployment, label).toBe(deployment);
    }
  });

  it("routes a premium organisation's simple request to the GPT-4-class group", async () => {
    const organization = await testApp.app.inject({
      method: 'POST',
      url: '/v1/admin/organizations',
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { name: 'premium', metadata: { plan: 'premium' } },
    });
    const key = await testApp.app.inject({
      method: 'POST',
      url: `/v1/admin/organizations/${organization.json().id}/keys`,
      headers: { authorization: `Bearer ${testApp.adminKey}` },
      payload: { name: 'premium key' },
    });
    const result = await explain({ model: 'auto', prompt: 'Hi' }, {}, key.json().secret);
    expect(result.decision).toMatchObject({ matched_rule: 'premium-plan', target: 'gpt-4-class' });
  });

  it('is a dry run: no provider is called (GET form too)', async () => {
    const before = await providerCalls('sim/fast', 'success');
    const response = await fetch(`${testApp.baseUrl}/v1/routing/explain?model=auto&prompt=Hi`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(
      ((await response.json()) as { candidates: Array<{ deployment: string }> }).candidates[0]?.deployment,
    ).toBe('sim/fast');
    expect(await providerCalls('sim/fast', 'success')).toBe(before);
  });
});

/** The same provider under another name, so a steerable copy can sit beside the configured `sim`. */
function renamed(provider: ReturnType<typeof createSimulatedProvider>, name: string) {
  return {
    ...provider,
    name,
    simulated: true,
    listModels: () =>
      provider
        .listModels()
        .map((model) => ({ ...model, id: model.id.replace(/^sim\//, `${name}/`), provider: name })),
    languageModel: (modelId: string) => provider.languageModel(modelId),
    embeddingModel: (modelId: string) => provider.embeddingModel(modelId),
  };
}
