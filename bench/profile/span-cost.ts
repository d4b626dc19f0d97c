/**
 * What tracing adds per request with export off, in isolation: the span work one chat completion
 * does (extract the caller's traceparent, a server span, nine nested spans as the request path
 * makes them, one inject for the provider call, two log-line lookups) timed against the same
 * nesting of plain async calls. With export on, the same with every span recorded and handed to a
 * processor that drops it, so only the platform's own share is measured (not the exporter's).
 *
 *   node --import tsx bench/profile/span-cost.ts [requests]
 */
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTracing, type Tracing, tracingSettings } from '../../packages/platform/src/telemetry/index.ts';

const requests = Number(process.argv[2] ?? '200000');
// why -00: a caller that did not sample its trace, the common case with export off.
const caller = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' };
const attributes = {
  'kimi.deployment': 'upstream/model',
  'kimi.attempt': 1,
  'gen_ai.request.model': 'model',
};

async function plainRequest(depth: number): Promise<number> {
  return depth === 0 ? 1 : (await plainRequest(depth - 1)) + 1;
}

async function tracedRequest(tracing: Tracing): Promise<number> {
  const span = tracing.startSpan('POST /v1/chat/completions', { parent: tracing.extract(caller) });
  const nested = (depth: number): Promise<number> =>
    depth === 0
      ? Promise.resolve(Object.keys(tracing.inject({})).length + (tracing.logFields().trace_id ? 1 : 0))
      : tracing.inSpan('span', { attributes }, async () => (await nested(depth - 1)) + 1);
  const result = await tracing.withSpan(span, () => nested(9));
  tracing.logFields();
  span.end();
  return result;
}

async function time(label: string, run: () => Promise<number>): Promise<number> {
  for (let index = 0; index < 20_000; index++) await run();
  const started = process.hrtime.bigint();
  for (let index = 0; index < requests; index++) await run();
  const microseconds = Number(process.hrtime.bigint() - started) / 1000 / requests;
  process.stdout.write(`${label.padEnd(44)} ${microseconds.toFixed(2)} µs per request\n`);
  return microseconds;
}

const dropping: SpanProcessor = {
  onStart() {},
  onEnd() {},
  forceFlush: async () => {},
  shutdown: async () => {},
};
const off = createTracing(
  tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, 'bench'),
);
const recording = createTracing(
  tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'always_on' }, 'bench'),
  { processors: [dropping] },
);
const plain = await time('plain nested async calls (no tracing)', () => plainRequest(10));
const exportOff = await time('export off (caller not sampled)', () => tracedRequest(off));
const exportOn = await time('export on, every span recorded', () => tracedRequest(recording));
process.stdout.write(
  `added per request: export off ${(exportOff - plain).toFixed(2)} µs, recorded ${(exportOn - plain).toFixed(2)} µs\n`,
);
await off.close();
await recording.close();
