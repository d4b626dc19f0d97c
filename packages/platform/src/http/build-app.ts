import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { createModelPricing, createSwarmRuntime, registerSwarmRoutes } from '../agents/index.ts';
import { createTemplateResolver } from '../agents/templates/index.ts';
import { createAgentToolkit } from '../agents/tools/index.ts';
import { createChatCache } from '../cache/index.ts';
import type { ConfigFile } from '../config/index.ts';
import { errors } from '../errors/index.ts';
import {
  admitChatGateway,
  admitEmbeddingGateway,
  createCachedChatGateway,
  createChatGateway,
  createEmbeddingGateway,
  createRoutingRuntime,
  createUsageMeter,
  embedWith,
} from '../gateway/index.ts';
import { createBudgetDirectory, startAlertDelivery } from '../metering/budgets/index.ts';
import { createPriceTable, createUsageLedger } from '../metering/index.ts';
import { createPlanDirectory, seedPlans } from '../metering/plans/index.ts';
import type { Provider } from '../providers/index.ts';
import { catalogPrices } from '../providers/index.ts';
import { createModelCatalog } from '../routing/index.ts';
import { loadTokenizer } from '../support/index.ts';
import { createMetrics } from '../telemetry/index.ts';
import { createKeyAuthenticator, createProviderCredentialStore, randomBase62 } from '../tenancy/index.ts';
import type { AppDependencies } from './app-dependencies.ts';
import { authenticate, callerOf } from './authentication.ts';
import { composeAdmission } from './compose-admission.ts';
import { sendError, toPlatformError } from './error-handler.ts';
import { createLimitStores } from './limit-stores.ts';
import { registerAdminKeyRoutes } from './routes/admin-key-routes.ts';
import { registerAdminOrganizationRoutes } from './routes/admin-organization-routes.ts';
import { registerAdminProviderKeyRoutes } from './routes/admin-provider-key-routes.ts';
import { registerAgentToolRoutes } from './routes/agent-tool-routes.ts';
import { registerBatchRoute } from './routes/batch-route.ts';
import { registerCacheRoutes } from './routes/cache-routes.ts';
import { registerChatCompletionsRoute } from './routes/chat-completions-route.ts';
import { registerEmbeddingsRoute } from './routes/embeddings-route.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerMessagesRoute } from './routes/messages-route.ts';
import { registerModelsRoutes } from './routes/models-routes.ts';
import { registerPlanAndBudgetRoutes } from './routes/plan-budget-routes.ts';
import type { RouteContext } from './routes/route-context.ts';
import { registerRoutingRoutes } from './routes/routing-routes.ts';
import { registerUsageRoutes } from './routes/usage-routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Applies a new config file (and, when given, the providers built from it) without a restart.
     * Everything is validated before anything changes: a bad config throws and the running one stays.
     * Server settings (body limit, shutdown grace) and the metering queue need a restart.
     */
    reloadConfig(config: ConfigFile, providers?: readonly Provider[]): void;
  }
  interface FastifyRequest {
    /** performance.now() at arrival. */
    startedAt: number;
    /** Set once a usage record for this request is written or owned by the gateway. */
    metered: boolean;
  }
}

const modelEndpoints = new Map<string, 'chat.completions' | 'embeddings'>([
  ['/v1/chat/completions', 'chat.completions'],
  ['/v1/embeddings', 'embeddings'],
  ['/v1/batch/chat/completions', 'chat.completions'],
  ['/v1/messages', 'chat.completions'],
]);

function requestedModelOf(request: FastifyRequest): string | null {
  const model = (request.body as { model?: unknown } | null | undefined)?.model;
  return typeof model === 'string' ? model.slice(0, 256) : null;
}

/**
 * Composes the platform from injected ports and returns a Fastify app that is ready to `listen`
 * or to `inject`. Closing the app stops the background work it started and flushes metering.
 */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, database, clock, logger } = dependencies;
  const bodyLimit = config.server.body_limit_bytes;
  const metrics = createMetrics({ defaultMetrics: dependencies.processMetrics ?? false });
  const tokenizer = await loadTokenizer();
  const prices = createPriceTable(config.prices, catalogPrices(config));
  const catalog = createModelCatalog(dependencies.providers, config.aliases);
  const routingRuntime = createRoutingRuntime({
    keyValueStore: dependencies.keyValueStore,
    clock,
    random: dependencies.random ?? Math.random,
    onWarning: (message) => logger.warn(message),
    onCall: (deployment, ok) =>
      metrics.providerCalls.inc({ deployment, outcome: ok ? 'success' : 'failure' }),
  });
  routingRuntime.configure(config, catalog, prices);
  const ledger = createUsageLedger({
    database,
    clock,
    batchMaxRecords: config.metering.batch_max_records,
    queueMaxRecords: config.metering.queue_max_records,
    concurrentWrites: database.backend === 'pglite' ? 1 : 4,
    onBatchWritten: (records, durationMs) => {
      metrics.meteringBatchSize.observe(records);
      metrics.meteringWriteDuration.observe(durationMs / 1000);
    },
    onWriteError: (error, attempt) => {
      metrics.meteringWriteErrors.inc();
      logger.warn({ err: error, attempt }, 'usage write failed; retrying');
    },
  });
  const authenticator = createKeyAuthenticator({
    database,
    eventBus: dependencies.eventBus,
    clock,
    maxEntries: config.auth.key_cache_max_entries,
    pollIntervalMs: config.auth.revocation_poll_ms,
    onPollError: (error) => logger.warn({ err: error }, 'api key change poll failed'),
  });
  await authenticator.start();
  const providerCredentials = createProviderCredentialStore({
    database,
    eventBus: dependencies.eventBus,
    clock,
    secretBox: dependencies.secretBox,
    pollIntervalMs: config.auth.revocation_poll_ms,
    maxOrganizations: config.auth.key_cache_max_entries,
    onPollError: (error) => logger.warn({ err: error }, 'provider key change poll failed'),
  });
  await providerCredentials.start();
  const seeded = await seedPlans(database, config.plans);
  if (seeded.keptFromApi.length > 0) {
    logger.info({ plans: seeded.keptFromApi }, 'plans last changed through the API keep their API values');
  }
  const planDirectory = createPlanDirectory({
    database,
    eventBus: dependencies.eventBus,
    clock,
    pollIntervalMs: config.auth.revocation_poll_ms,
    onError: (error) => logger.warn({ err: error }, 'plan reload failed'),
  });
  await planDirectory.start();
  const budgetDirectory = createBudgetDirectory({
    database,
    eventBus: dependencies.eventBus,
    clock,
    pollIntervalMs: config.auth.revocation_poll_ms,
    maxOrganizations: config.auth.key_cache_max_entries,
    onPollError: (error) => logger.warn({ err: error }, 'budget change poll failed'),
  });
  await budgetDirectory.start();
  const alertDelivery = await startAlertDelivery({
    queue: dependencies.jobQueue,
    database,
    secretBox: dependencies.secretBox,
    fetch: globalThis.fetch,
    clock,
    urlPolicy: { allowInsecureLocalhost: dependencies.allowInsecureWebhooks ?? false },
    onError: (error) => logger.warn({ err: error }, 'budget alert delivery sweep failed'),
  });
  const credentials = providerCredentials.credentialsFor;
  const cache = createChatCache({
    config: () => context.config.cache,
    keyValueStore: dependencies.keyValueStore,
    database,
    eventBus: dependencies.eventBus,
    clock,
    metrics,
    policyPollIntervalMs: config.auth.revocation_poll_ms,
    embed: embedWith(() => context.catalog),
    onError: (error, what) => logger.warn({ err: error }, `${what} failed; served without it`),
  });
  await cache.start();
  const meter = createUsageMeter({
    ledger,
    prices: () => context.prices,
    metrics,
    clock,
    cacheStatusOf: cache.statusOf,
  });
  const routing = () => routingRuntime.current();
  const limitStores = createLimitStores({
    database,
    keyValueStore: dependencies.keyValueStore,
    clock,
    logger,
  });
  const limitSettings = () => context.config.limits;
  const admission = composeAdmission({
    database,
    jobQueue: dependencies.jobQueue,
    limitStores,
    plans: planDirectory,
    budgets: budgetDirectory,
    settings: limitSettings,
    prices: () => context.prices,
    clock,
    metrics,
    logger,
  });
  const admitted = {
    admission,
    meter,
    tokenizer,
    defaultMaxTokens: () => limitSettings().default_max_tokens,
  };
  const context: RouteContext = {
    config,
    database,
    keyValueStore: dependencies.keyValueStore,
    catalog,
    prices,
    authenticator,
    chat: admitChatGateway(
      createCachedChatGateway(createChatGateway({ routing, meter, tokenizer, metrics, credentials }), {
        cache,
        routing,
        catalog: () => context.catalog,
        meter,
        metrics,
      }),
      admitted,
    ),
    embeddings: admitEmbeddingGateway(
      createEmbeddingGateway({ routing, meter, tokenizer, metrics, credentials }),
      admitted,
    ),
    routing: routingRuntime,
    providerCredentials,
    providers: dependencies.providers,
    secretBox: dependencies.secretBox,
    meter,
    ledger,
    metrics,
    clock,
    startedAtSeconds: Math.floor(clock.now() / 1000),
  };

  const agentTools = createAgentToolkit({
    database,
    secretBox: dependencies.secretBox,
    clock,
    config: () => context.config.tools,
    onServerLog: (server, line) => logger.debug({ server, line }, 'mcp server log'),
  });
  const swarms = createSwarmRuntime({
    database,
    eventBus: dependencies.eventBus,
    jobQueue: dependencies.jobQueue,
    chat: context.chat,
    tools: dependencies.swarms?.tools ?? agentTools.toolResolver,
    templates: dependencies.swarms?.templates ?? createTemplateResolver(database),
    pricing: createModelPricing({ catalog: () => context.catalog, prices: () => context.prices }),
    clock,
    ...(dependencies.swarms?.options ? { options: dependencies.swarms.options } : {}),
    onError: (error, message) => logger.warn({ err: error }, message),
  });
  if (dependencies.swarms?.runWorker ?? true) await swarms.startWorker();

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit,
    // One line per request is written by our onResponse hook, with the fields operators need.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: () => `req_${randomBase62(24)}`,
    return503OnClosing: true,
  });
  app.decorate('reloadConfig', (next: ConfigFile, providers: readonly Provider[] = context.providers) => {
    const nextPrices = createPriceTable(next.prices, catalogPrices(next));
    const nextCatalog = createModelCatalog(providers, next.aliases);
    routingRuntime.configure(next, nextCatalog, nextPrices);
    context.config = next;
    context.catalog = nextCatalog;
    context.prices = nextPrices;
    context.providers = providers;
    logger.info({ models: nextCatalog.list().length }, 'config reloaded');
  });
  app.decorateRequest('auth', null);
  app.decorateRequest('startedAt', 0);
  app.decorateRequest('metered', false);

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(errors.invalidJson('the body is empty'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(errors.invalidJson((error as Error).message), undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    request.startedAt = performance.now();
    reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    // why: building the line costs time on every request even when info lines are not written.
    if (!logger.isLevelEnabled('info')) return;
    request.log.info(
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
    return sendError(
      request,
      reply,
      errors.routeNotFound(request.method, request.url.split('?')[0] ?? request.url),
    );
  });

  app.setErrorHandler(async (error, request, reply) => {
    const platformError = toPlatformError(error, bodyLimit);
    const endpoint = modelEndpoints.get(request.routeOptions.url ?? '');
    if (endpoint && request.auth && !request.metered) {
      // A refused model request is still metered, so a tenant's errors show in its usage.
      request.metered = true;
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

  app.addHook('onClose', async () => {
    await swarms.close();
    await routingRuntime.close();
    await cache.close();
    await authenticator.close();
    await providerCredentials.close();
    await limitStores.close();
    await alertDelivery.close();
    await budgetDirectory.close();
    await planDirectory.close();
    await ledger.close();
    await agentTools.close();
  });

  registerHealthRoutes(app, context);
  await app.register(async (authenticated) => {
    authenticated.addHook('onRequest', async (request) => {
      await authenticate(request, authenticator);
    });
    registerChatCompletionsRoute(authenticated, context);
    registerMessagesRoute(authenticated, context);
    registerEmbeddingsRoute(authenticated, context);
    registerBatchRoute(authenticated, context);
    registerModelsRoutes(authenticated, context);
    registerUsageRoutes(authenticated, context);
    registerCacheRoutes(authenticated, { ...context, cache });
    registerRoutingRoutes(authenticated, context);
    registerPlanAndBudgetRoutes(authenticated, {
      ...context,
      plans: planDirectory,
      budgets: budgetDirectory,
      budgetLevels: (budgets) => limitStores.spendLedger.levels(budgets),
      webhookUrls: { allowInsecureLocalhost: dependencies.allowInsecureWebhooks ?? false },
    });
    registerAdminOrganizationRoutes(authenticated, context);
    registerAdminKeyRoutes(authenticated, context);
    registerAdminProviderKeyRoutes(authenticated, context);
    await registerSwarmRoutes(authenticated, { runtime: swarms, callerOf });
    registerAgentToolRoutes(authenticated, {
      database,
      secretBox: dependencies.secretBox,
      toolkit: agentTools,
      toolsConfig: () => context.config.tools,
    });
  });
  return app;
}
