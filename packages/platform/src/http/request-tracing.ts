import type { FastifyInstance } from 'fastify';
import { callerAttributes } from '../gateway/index.ts';
import { type Context, recordSpanFailure, type Span, SpanKind, type Tracing } from '../telemetry/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span (its context is active in every hook and the handler). */
    traceSpan: Span | null;
    traceContext: Context | null;
  }
}

/**
 * A server span per request, named by the route template (never the raw URL), a child of the
 * caller's `traceparent` when it sends one; every response carries our `traceparent`. Registered
 * first, so authentication, limits and handlers all run inside the span.
 */
export function traceRequests(app: FastifyInstance, tracing: Tracing): void {
  app.decorateRequest('traceSpan', null);
  app.decorateRequest('traceContext', null);
  // why callback hooks: the rest of the request must run inside the callback to inherit the context.
  app.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    const parent = tracing.extract(request.headers);
    const span = tracing.startSpan(route ? `${request.method} ${route}` : request.method, {
      kind: SpanKind.SERVER,
      parent,
      attributes: {
        'http.request.method': request.method,
        ...(route ? { 'http.route': route } : {}),
        'kimi.request.id': request.id,
      },
    });
    request.traceSpan = span;
    request.traceContext = tracing.withContext(parent, () => tracing.withSpan(span, () => tracing.active()));
    reply.header('traceparent', tracing.traceparentOf(span));
    tracing.withContext(request.traceContext, done);
  });
  // why again here: body parsing may resume in a callback that lost the context.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.traceContext) tracing.withContext(request.traceContext, done);
    else done();
  });
  app.addHook('onError', (request, _reply, error, done) => {
    if (request.traceSpan) recordSpanFailure(request.traceSpan, error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = request.traceSpan;
    if (span) {
      if (span.isRecording()) {
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (request.auth) span.setAttributes(callerAttributes(request.auth));
        // why: a 4xx is the caller's mistake; a server span is an error only for a 5xx.
        if (reply.statusCode < 500) span.setStatus({ code: 0 });
        else span.setStatus({ code: 2, message: `HTTP ${reply.statusCode}` });
      }
      span.end();
    }
    done();
  });
}
