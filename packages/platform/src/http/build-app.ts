import websocketPlugin from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { errors } from '../errors/index.ts';
import type { Platform } from '../platform/index.ts';
import { randomBase62 } from '../tenancy/index.ts';
import { registerAdminRoutes } from './admin/index.ts';
import { registerAnthropicRoutes } from './anthropic/index.ts';
import { registerAuditSurface } from './audit/index.ts';
import { authenticate } from './authentication.ts';
import { maximumPathParameterLength, sendError, toPlatformError } from './error-handler.ts';
import { guardErrorShape } from './error-shape-guard.ts';
import { clientErrorHandler, frameworkErrorHandler } from './framework-errors.ts';
import { registerGraphQLSurface } from './graphql/index.ts';
import { registerIdentityPublicRoutes, registerIdentityRoutes } from './identity/index.ts';
import { registerKnowledgeRoutes } from './knowledge/index.ts';
import { checkNulCharacters, nulCharacterError, nulCharacterPath } from './nul-characters.ts';
import { registerOpenAIRoutes } from './openai/index.ts';
import { type ContractViolation, checkResponseContracts, registerOpenApiRoutes } from './openapi/index.ts';
import { registerHealthRoutes, registerOperationsRoutes } from './operations/index.ts';
import { requestLogLevel } from './request-log-level.ts';
import { traceRequests } from './request-tracing.ts';
import { checkRoutePermission } from './route-permission.ts';
import { RouteTable } from './route-table.ts';
import { registerSignInRoutes } from './sign-in/index.ts';
import { registerSwarmSurface } from './swarms/index.ts';
import { requireUpgradeOnWebsocketRoutes } from './websocket-upgrade.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() at arrival. */
    startedAt: number;
  }
}

const modelEndpoints = new Map<string, 'chat.completions' | 'embeddings'>([
  ['/v1/chat/completions', 'chat.completions'],
  ['/v1/embeddings', 'embeddings'],
  ['/v1/batch/chat/completions', 'chat.completions'],
  ['/v1/messages', 'chat.completions'],
  ['/v1/responses', 'chat.completions'],
]);

function requestedModelOf(request: FastifyRequest): string | null {
  const model = (request.body as { model?: unknown } | null | undefined)?.model;
  return typeof model === 'string' ? model.slice(0, 256) : null;
}

export interface BuildAppOptions {
  /**
   * Checks every JSON response against its route's OpenAPI contract and answers a 500 naming the
   * difference when it does not match (tests turn it on; it costs a validation per response).
   */
  onContractViolation?: (violation: ContractViolation) => void;
  /** The share of successful requests whose `request completed` line is written (default 1, all of them). */
  requestLogSampleRate?: number;
}

/**
 * The HTTP surface of a composed platform: parsers, hooks, error mapping and one plugin per
 * protocol. Ready to `listen` or to `inject`. Closing the app does not close the platform.
 */
export async function buildApp(platform: Platform, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { logger, metrics, meter } = platform;
  const bodyLimit = platform.config.server.body_limit_bytes;
  const requestTimeout = platform.config.server.request_timeout_ms;
  const newRequestId = () => `req_${randomBase62(24)}`;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit,
    // One line per request is written by our onResponse hook, with the fields operators need.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: newRequestId,
    // why: our onRequest hook answers 503 while closing, in the documented shape.
    return503OnClosing: false,
    requestTimeout,
    // why: Node checks for timed-out requests only this often (30 s by default).
    http: {
      requestTimeout,
      headersTimeout: Math.min(60_000, requestTimeout),
      connectionsCheckingInterval: Math.min(30_000, requestTimeout),
    },
    routerOptions: { maxParamLength: maximumPathParameterLength },
    frameworkErrors: frameworkErrorHandler(bodyLimit),
    clientErrorHandler: clientErrorHandler(newRequestId, logger as FastifyBaseLogger),
  });
  traceRequests(app, platform.tracing);
  const routeTable = new RouteTable(app);
  if (options.onContractViolation) checkResponseContracts(app, options.onContractViolation);
  requireUpgradeOnWebsocketRoutes(app);
  // why at the root, first: its onRequest hook must mark an upgrade before authentication can refuse
  // it, or a refused upgrade's socket is never closed; WebSocket routes must come after the plugin.
  await app.register(websocketPlugin, { options: { maxPayload: bodyLimit } });
  guardErrorShape(app, bodyLimit);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.decorateRequest('auth', null);
  app.decorateRequest('startedAt', 0);

  // why: the API speaks JSON only; a text/plain body is a 415, not a string reaching a route.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(errors.invalidJson('the body is empty'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      done(errors.invalidJson((error as Error).message), undefined);
      return;
    }
    // why: JSON can only carry NUL escaped, so the scan runs only when the text has the escape.
    const nulPath = text.includes('\\u0000') ? nulCharacterPath(parsed) : null;
    if (nulPath) done(nulCharacterError(nulPath), undefined);
    else done(null, parsed);
  });

  app.addHook('onRequest', async (request, reply) => {
    request.startedAt = performance.now();
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
      throw errors.shuttingDown();
    }
  });

  // why a callback hook: no promise and no extra microtask on every request.
  app.addHook('preValidation', (request, _reply, done) => {
    const nulError = checkNulCharacters(request);
    if (nulError) done(nulError);
    else done();
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, method: request.method, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, (performance.now() - request.startedAt) / 1000);
    const level = requestLogLevel(reply.statusCode, options.requestLogSampleRate ?? 1);
    // why: building the line costs time on every request even when info lines are not written.
    if (level === null || !logger.isLevelEnabled(level)) return;
    request.log[level](
      {
        method: request.method,
        route,
        status: reply.statusCode,
        organization: request.auth?.organizationId,
        durationMs: Math.round((performance.now() - request.startedAt) * 100) / 100,
      },
      'request completed',
    );
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = routeTable.allowedFor(app, path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(request, reply, errors.methodNotAllowed(request.method, path, allowed));
    }
    return sendError(request, reply, errors.routeNotFound(request.method, path));
  });

  app.setErrorHandler(async (error, request, reply) => {
    const platformError = toPlatformError(error, bodyLimit, {
      url: request.url,
      contentType: request.headers['content-type'],
    });
    const endpoint =
      request.method === 'POST' ? modelEndpoints.get(request.routeOptions.url ?? '') : undefined;
    if (endpoint && request.auth && !meter.hasMetered(error)) {
      // A model request refused before the gateway saw it is still metered, so a tenant's errors
      // show in its usage; whatever the gateway saw it has metered already.
      try {
        await meter.recordRefusal({
          context: request.auth,
          requestId: request.id,
          endpoint,
          requestedModel: requestedModelOf(request),
          startedAt: request.startedAt,
          error: platformError,
        });
      } catch (meteringError) {
        request.log.error({ err: meteringError }, 'could not meter a refused request');
      }
    }
    return sendError(request, reply, platformError);
  });

  registerHealthRoutes(app, platform);
  registerOpenApiRoutes(app);
  registerIdentityPublicRoutes(app, platform);
  registerSignInRoutes(app, platform);
  // why beside the authenticated scope: it authenticates each request the same way, except that a
  // WebSocket upgrade without credentials authenticates in its graphql-ws ConnectionInit.
  await registerGraphQLSurface(app, platform);
  await app.register(async (authenticated) => {
    authenticated.addHook('onRequest', async (request) => {
      await authenticate(request, platform);
      checkRoutePermission(request);
    });
    await registerOpenAIRoutes(authenticated, platform);
    registerAnthropicRoutes(authenticated, platform);
    registerOperationsRoutes(authenticated, platform);
    registerIdentityRoutes(authenticated);
    await registerAdminRoutes(authenticated, platform);
    await registerSwarmSurface(authenticated, platform);
    registerAuditSurface(authenticated, platform);
    await registerKnowledgeRoutes(authenticated, platform.knowledge);
  });
  return app;
}
