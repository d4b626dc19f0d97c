import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { createSampler, type TracingSettings, tracingSettings } from './tracing-settings.ts';

export type { Attributes, Context, Span } from '@opentelemetry/api';
export { SpanKind } from '@opentelemetry/api';

/** Where a span starts and what it carries when it starts. */
export interface SpanStart {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; default the active context. */
  parent?: Context;
}

/** Header names and values, as Node's and fetch's outgoing headers both accept them. */
export type HeaderRecord = Record<string, string>;

/**
 * One process's tracer, context and W3C propagator, made by the composition root and injected:
 * nothing here is global, so two platforms in one process (tests) trace independently.
 */
export interface Tracing {
  /** True when spans are exported over OTLP; false: ids are made and passed on, nothing leaves. */
  readonly exporting: boolean;
  /** Runs `work` in a new span (a child of the active one), ends it, and marks it failed on a throw. */
  inSpan<Value>(name: string, start: SpanStart, work: (span: Span) => Promise<Value>): Promise<Value>;
  /** Starts a span without making it active (for spans that end in another callback). */
  startSpan(name: string, start?: SpanStart): Span;
  /** Runs `work` with `span` active, so spans and log lines inside it are its children. */
  withSpan<Value>(span: Span, work: () => Value): Value;
  /** Runs `work` with `context` active. */
  withContext<Value>(context: Context, work: () => Value): Value;
  active(): Context;
  /** The context a caller's `traceparent`/`tracestate` name (the root context when absent or invalid). */
  extract(headers: Readonly<Record<string, string | string[] | undefined>>): Context;
  /** Adds `traceparent` (and `tracestate`) of the active span, or of `context`, to `headers`. */
  inject(headers: HeaderRecord, context?: Context): HeaderRecord;
  /** The `traceparent` header value of a span (what responses return). */
  traceparentOf(span: Span): string;
  /** `trace_id` and `span_id` of the active span, for every log line; empty outside a span. */
  logFields(): { trace_id?: string; span_id?: string };
  /** Exports what is buffered (tests and shutdown). */
  flush(): Promise<void>;
  /** Flushes and stops exporting. */
  close(): Promise<void>;
}

/** Marks a span failed with the error's code (a PlatformError's `code`, else the error's name). */
export function recordSpanFailure(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const coded = error as { code?: unknown; name?: unknown } | null;
  const code =
    typeof coded?.code === 'string' ? coded.code : typeof coded?.name === 'string' ? coded.name : 'Error';
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/**
 * Creates the tracing of one process. `processors` replaces the OTLP exporter (benchmarks and
 * tests pass their own); with neither an endpoint nor processors nothing is exported.
 */
export function createTracing(
  settings: TracingSettings,
  options: { serviceVersion?: string; processors?: SpanProcessor[] } = {},
): Tracing {
  const processors =
    options.processors ??
    (settings.endpoint === null
      ? []
      : [
          new BatchSpanProcessor(
            new OTLPTraceExporter({ url: settings.endpoint, headers: settings.headers }),
            { scheduledDelayMillis: 1000 },
          ),
        ]);
  const exporting = processors.length > 0;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...settings.resourceAttributes,
      [ATTR_SERVICE_NAME]: settings.serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    sampler: createSampler(exporting ? settings : { ...settings, endpoint: null }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('kimi-platform', options.serviceVersion);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const propagator = new W3CTraceContextPropagator();

  // why: under a parent-based sampler a local span that is not recorded has children that are not
  // recorded either; reusing it saves a span and a context switch per step (export off: every step).
  const parentBased = !exporting || settings.sampler.startsWith('parentbased');
  const unrecordedParent = (parent: Context): Span | undefined => {
    if (!parentBased) return undefined;
    const span = trace.getSpan(parent);
    return span && !span.isRecording() && !span.spanContext().isRemote ? span : undefined;
  };

  const newSpan = (name: string, start: SpanStart, parent: Context): Span =>
    tracer.startSpan(
      name,
      {
        ...(start.kind === undefined ? {} : { kind: start.kind }),
        ...(start.attributes ? { attributes: start.attributes } : {}),
      },
      parent,
    );
  const startSpan = (name: string, start: SpanStart = {}): Span => {
    const parent = start.parent ?? contextManager.active();
    return unrecordedParent(parent) ?? newSpan(name, start, parent);
  };

  const tracing: Tracing = {
    exporting,
    startSpan,
    async inSpan(name, start, work) {
      const parent = start.parent ?? contextManager.active();
      const reused = unrecordedParent(parent);
      if (reused) return work(reused);
      const span = newSpan(name, start, parent);
      try {
        return await contextManager.with(trace.setSpan(contextManager.active(), span), () => work(span));
      } catch (error) {
        recordSpanFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
    withSpan(span, work) {
      const active = contextManager.active();
      return trace.getSpan(active) === span ? work() : contextManager.with(trace.setSpan(active, span), work);
    },
    withContext: (context, work) => contextManager.with(context, work),
    active: () => contextManager.active(),
    extract: (headers) => propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter),
    inject(headers, context) {
      propagator.inject(context ?? contextManager.active(), headers, defaultTextMapSetter);
      return headers;
    },
    traceparentOf(span) {
      const { traceId, spanId, traceFlags } = span.spanContext();
      return `00-${traceId}-${spanId}-0${(traceFlags & 1).toString(16)}`;
    },
    logFields() {
      const span = trace.getSpan(contextManager.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    flush: () => provider.forceFlush(),
    async close() {
      await provider.shutdown();
      contextManager.disable();
    },
  };
  return tracing;
}

/**
 * A tracing that exports nothing, as a process without OTEL_* variables has: trace context is still
 * accepted, made and passed on (platforms built without one, tests).
 */
export function createLocalTracing(serviceName = 'kimi-platform'): Tracing {
  return createTracing(
    tracingSettings(
      { OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
      serviceName,
    ),
  );
}
