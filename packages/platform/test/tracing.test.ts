import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../src/providers/contract/fixture-server.ts';
import { FixtureFolder } from '../src/providers/contract/fixtures.ts';
import { createTracing, type Tracing, tracingSettings } from '../src/telemetry/index.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './support/otlp-receiver.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Traces exported over OTLP/HTTP protobuf to a receiver in this test, decoded with protobufjs:
 * the span tree of a chat completion, its GenAI and kimi.* attributes, the caller's trace
 * continued, `traceparent` sent to the provider and returned to the caller, and no prompt text.
 */
const fixtures = new FixtureFolder(new URL('../src/providers/openai/__fixtures__/', import.meta.url));
const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerSpanId = '00f067aa0ba902b7';
const promptCanary = 'PROMPT-CANARY-7f3a9 tell nobody';

let receiver: OtlpReceiver;
let upstream: FixtureServer;
let tracing: Tracing;
let testApp: TestApp;
let secret: string;
let organizationId: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = await startFixtureServer();
  tracing = createTracing(
    tracingSettings(
      {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
        OTEL_SERVICE_NAME: 'kimi-tracing-test',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      },
      'kimi-platform',
    ),
  );
  testApp = await startTestApp({
    tracing,
    config: { providers: { openai: { base_url: upstream.baseUrl, api_key: 'sk-openai-platform-key' } } },
  });
  ({ secret, organizationId } = await createTenant(testApp));
}, 60_000);

afterAll(async () => {
  await testApp?.close();
  await tracing?.close();
  await upstream?.close();
  await receiver?.close();
});

function chat(model: string, traceparent?: string) {
  return testApp.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: {
      authorization: `Bearer ${secret}`,
      ...(traceparent ? { traceparent, tracestate: 'vendor=opaque' } : {}),
    },
    payload: { model, messages: [{ role: 'user', content: promptCanary }] },
  });
}

function only(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((span) => span.name === name);
  expect(
    found.map((span) => span.name),
    `exactly one span named ${name}`,
  ).toEqual([name]);
  return found[0]!;
}

describe('OpenTelemetry traces over OTLP/HTTP protobuf', () => {
  it('continue the caller trace through gateway, routing and the provider call', async () => {
    upstream.enqueue(fixtures.response('text'));
    const response = await chat('openai/gpt-4o-mini', `00-${callerTraceId}-${callerSpanId}-01`);
    expect(response.statusCode).toBe(200);
    const returned = String(response.headers.traceparent);
    expect(returned).toMatch(new RegExp(`^00-${callerTraceId}-[0-9a-f]{16}-01$`));

    await tracing.flush();
    const trace = receiver.spans.filter((span) => span.traceId === callerTraceId);
    const server = only(trace, 'POST /v1/chat/completions');
    expect(server.kind).toBe(2);
    expect(server.parentSpanId).toBe(callerSpanId);
    expect(returned.split('-')[2]).toBe(server.spanId);
    expect(server.attributes['http.route']).toBe('/v1/chat/completions');
    expect(server.attributes['http.response.status_code']).toBe(200);
    expect(server.attributes['kimi.organization.id']).toBe(organizationId);
    expect(server.serviceName).toBe('kimi-tracing-test');

    const gateway = only(trace, 'gateway chat');
    expect(gateway.parentSpanId).toBe(server.spanId);
    expect(gateway.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'openai/gpt-4o-mini',
      'kimi.organization.id': organizationId,
      'kimi.deployment': 'openai/gpt-4o-mini',
      'kimi.route.attempts': 1,
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 9,
    });
    expect(typeof gateway.attributes['kimi.cost_usd']).toBe('string');
    expect(typeof gateway.attributes['kimi.api_key.id']).toBe('string');
    expect(only(trace, 'admission').parentSpanId).toBe(gateway.spanId);
    expect(only(trace, 'metering').parentSpanId).toBe(gateway.spanId);

    const attempt = only(trace, 'routing attempt');
    expect(attempt.attributes).toMatchObject({ 'kimi.deployment': 'openai/gpt-4o-mini', 'kimi.attempt': 1 });
    const client = only(trace, 'chat gpt-4o-mini');
    expect(client.kind).toBe(3);
    expect(client.parentSpanId).toBe(attempt.spanId);
    expect(client.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.response.finish_reasons': ['stop'],
    });

    // The provider saw the client span as its parent, and the caller's tracestate.
    const sent = upstream.requests.at(-1)!;
    expect(sent.headers.traceparent).toBe(`00-${callerTraceId}-${client.spanId}-01`);
    expect(sent.headers.tracestate).toBe('vendor=opaque');

    // Real OTLP protobuf, and not one byte of the prompt in it.
    expect(receiver.contentTypes.every((type) => type === 'application/x-protobuf')).toBe(true);
    for (const body of receiver.bodies) expect(body.includes(Buffer.from('PROMPT-CANARY'))).toBe(false);
  });

  it('start a new trace without a caller traceparent, and mark a failed provider call an error with its code', async () => {
    upstream.enqueue(fixtures.response('authentication'));
    const response = await chat('openai/gpt-4o-mini');
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    const traceId = String(response.headers.traceparent).split('-')[1]!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(callerTraceId);
    await tracing.flush();
    await receiver.waitFor((spans) =>
      spans.some((span) => span.traceId === traceId && span.name === 'gateway chat'),
    );
    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const server = only(trace, 'POST /v1/chat/completions');
    expect(server.parentSpanId).toBe('');
    const calls = trace.filter((span) => span.name === 'chat gpt-4o-mini');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.status.code).toBe(2);
    const first = calls.find((call) => call.status.message === 'PROVIDER_AUTHENTICATION_FAILED');
    expect(first?.attributes['error.type']).toBe('PROVIDER_AUTHENTICATION_FAILED');
    expect(only(trace, 'gateway chat').status.code).toBe(2);
  });
});

describe('a streamed chat completion', () => {
  it('ends its provider span with the stream, with finish reasons and usage', async () => {
    const traceId = '5eed0000aaaa0000bbbb0000cccc0000';
    upstream.enqueue(fixtures.response('text-stream'));
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${secret}`, traceparent: `00-${traceId}-${callerSpanId}-01` },
      payload: {
        model: 'openai/gpt-4o-mini',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: promptCanary }],
      },
    });
    expect(response.statusCode).toBe(200);
    await tracing.flush();
    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const client = only(trace, 'chat gpt-4o-mini');
    expect(client.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(typeof client.attributes['gen_ai.usage.output_tokens']).toBe('number');
    expect(only(trace, 'gateway chat').attributes['kimi.streamed']).toBe(true);
    expect(upstream.requests.at(-1)?.headers.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);
  });
});

describe('a swarm run on the in-process queue', () => {
  it('joins the trace of the request that created it', async () => {
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/v1/swarms',
      headers: { authorization: `Bearer ${secret}`, traceparent: `00-${traceId}-${callerSpanId}-01` },
      payload: { task: promptCanary, model: 'sim/fast', agents: [{ role: 'only', instructions: 'Answer.' }] },
    });
    expect(created.statusCode).toBe(202);
    await receiver.waitFor((spans) =>
      spans.some((span) => span.traceId === traceId && span.name === 'swarm step synthesis'),
    );
    const trace = receiver.spans.filter((span) => span.traceId === traceId);
    const run = only(trace, 'swarm run');
    expect(run.attributes['kimi.swarm.run_id']).toBe(created.json<{ id: string }>().id);
    const request = only(trace, 'POST /v1/swarms');
    expect(run.parentSpanId).not.toBe('');
    expect(trace.map((span) => span.spanId)).toContain(run.parentSpanId);
    expect(request.parentSpanId).toBe(callerSpanId);
    expect(trace.filter((span) => span.name === 'swarm agent only')).toHaveLength(1);
    // The run row keeps the context, so a re-queued run (approval, orphan sweep) continues this trace.
    const stored = await testApp.database.query<{ trace_context: { traceparent: string } }>(
      'SELECT trace_context FROM swarm_runs WHERE id = $1',
      [created.json<{ id: string }>().id],
    );
    expect(stored.rows[0]?.trace_context.traceparent.split('-')[1]).toBe(traceId);
    for (const body of receiver.bodies) expect(body.includes(Buffer.from('PROMPT-CANARY'))).toBe(false);
  }, 60_000);
});

describe('knowledge bases', () => {
  it('trace ingestion in the trace of the upload, and search with its embedding call', async () => {
    const uploadTrace = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    const searchTrace = 'beef0000beef0000beef0000beef0000';
    const send = (
      method: 'GET' | 'POST',
      url: string,
      traceId?: string,
      payload?: Record<string, unknown>,
    ) => {
      const options: InjectOptions = {
        method,
        url,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(traceId ? { traceparent: `00-${traceId}-${callerSpanId}-01` } : {}),
        },
        ...(payload === undefined ? {} : { payload }),
      };
      return testApp.app.inject(options);
    };
    const created = await send('POST', '/v1/knowledge-bases', undefined, { name: 'traced' });
    const id = created.json<{ id: string }>().id;
    const added = await send('POST', `/v1/knowledge-bases/${id}/documents`, uploadTrace, {
      documents: [{ text: `Solar panels turn light into power. ${promptCanary}` }],
    });
    expect(added.statusCode).toBeLessThan(300);
    const documentId = added.json<{ data: Array<{ id: string }> }>().data[0]!.id;
    const deadline = Date.now() + 30_000;
    while (
      (await send('GET', `/v1/knowledge-bases/${id}/documents/${documentId}`)).json<{ status: string }>()
        .status !== 'ready'
    ) {
      if (Date.now() > deadline) throw new Error('the document was never ingested');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const searched = await send('POST', `/v1/knowledge-bases/${id}/search`, searchTrace, { query: 'solar' });
    expect(searched.statusCode).toBe(200);
    await tracing.flush();
    await receiver.waitFor((spans) =>
      spans.some((span) => span.name === 'knowledge ingestion' && span.traceId === uploadTrace),
    );
    const ingestion = only(
      receiver.spans.filter((span) => span.traceId === uploadTrace),
      'knowledge ingestion',
    );
    expect(ingestion.kind).toBe(5);
    expect(ingestion.attributes['kimi.knowledge.document_id']).toBe(documentId);
    const search = receiver.spans.filter((span) => span.traceId === searchTrace);
    const searchSpan = only(search, 'knowledge search');
    expect(searchSpan.parentSpanId).toBe(
      only(search, 'POST /v1/knowledge-bases/:knowledgeBaseId/search').spanId,
    );
    const embedding = search.find((span) => span.name.startsWith('embeddings ') && span.kind === 3);
    expect(embedding?.attributes['gen_ai.operation.name']).toBe('embeddings');
    for (const body of receiver.bodies) expect(body.includes(Buffer.from('PROMPT-CANARY'))).toBe(false);
  }, 60_000);
});

describe('trace context with export off (the default)', () => {
  it('is still accepted, returned and written on every log line of the request', async () => {
    const lines: string[] = [];
    const quiet = createTracing(
      tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, 'kimi'),
    );
    const plain = await startTestApp({
      tracing: quiet,
      logLevel: 'info',
      logSink: { write: (line) => lines.push(line) },
    });
    try {
      const { secret: key } = await createTenant(plain);
      const response = await plain.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { authorization: `Bearer ${key}`, traceparent: `00-${callerTraceId}-${callerSpanId}-00` },
        payload: { model: 'sim/fast', messages: [{ role: 'user', content: 'hello' }] },
      });
      expect(response.statusCode).toBe(200);
      const [, traceId, spanId, flags] = String(response.headers.traceparent).split('-');
      expect(traceId).toBe(callerTraceId);
      expect(spanId).not.toBe(callerSpanId);
      // why 00: nothing is recorded, and the caller did not ask for its trace to be sampled.
      expect(flags).toBe('00');
      const completed = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'request completed' && line.route === '/v1/chat/completions');
      expect(completed).toHaveLength(1);
      expect(completed[0]).toMatchObject({ trace_id: callerTraceId, span_id: spanId });
      expect(quiet.exporting).toBe(false);
    } finally {
      await plain.close();
      await quiet.close();
    }
  });
});

describe('prompt and completion text on spans', () => {
  it('appear only after the organisation opts in, and the change is audited', async () => {
    const url = `/v1/admin/organizations/${organizationId}/trace-content`;
    const admin = { authorization: `Bearer ${testApp.adminKey}` };
    const before = await testApp.app.inject({ method: 'GET', url, headers: admin });
    expect(before.json()).toEqual({
      object: 'trace_content_setting',
      organization_id: organizationId,
      record_content: false,
    });
    const developer = await testApp.app.inject({
      method: 'PUT',
      url,
      headers: { authorization: `Bearer ${secret}` },
      payload: { record_content: true },
    });
    expect(developer.statusCode).toBe(403);
    const opted = await testApp.app.inject({
      method: 'PUT',
      url,
      headers: admin,
      payload: { record_content: true },
    });
    expect(opted.statusCode, opted.body).toBe(200);
    expect(opted.json<{ record_content: boolean }>().record_content).toBe(true);
    const audited = await testApp.database.query<{ before: unknown; after: unknown }>(
      `SELECT before, after FROM audit_log WHERE organization_id = $1 AND action = 'trace_content.set'`,
      [organizationId],
    );
    expect(audited.rows).toEqual([{ before: { record_content: false }, after: { record_content: true } }]);

    const traceId = 'feed0000feed0000feed0000feed0000';
    upstream.enqueue(fixtures.response('text'));
    expect((await chat('openai/gpt-4o-mini', `00-${traceId}-${callerSpanId}-01`)).statusCode).toBe(200);
    await tracing.flush();
    const gateway = only(
      receiver.spans.filter((span) => span.traceId === traceId),
      'gateway chat',
    );
    expect(String(gateway.attributes['gen_ai.input.messages'])).toContain(promptCanary);
    expect(String(gateway.attributes['gen_ai.output.messages'])).toContain(
      'Hello! How can I help you today?',
    );
    const client = only(
      receiver.spans.filter((span) => span.traceId === traceId),
      'chat gpt-4o-mini',
    );
    expect(Object.keys(client.attributes).some((name) => name.includes('messages'))).toBe(false);
  });
});
