import { createModelPricing, createSwarmRuntime } from '../agents/index.ts';
import { createTemplateResolver } from '../agents/templates/index.ts';
import {
  createAgentToolkit,
  createGuardedHttpClient,
  createNetworkAllowlist,
  emptyAllowlist,
  systemHostResolver,
  urlDestinationProblem,
} from '../agents/tools/index.ts';
import { createChatCache } from '../cache/index.ts';
import type { ConfigFile } from '../config/index.ts';
import {
  admitChatGateway,
  admitEmbeddingGateway,
  createCachedChatGateway,
  createChatGateway,
  createEmbeddingGateway,
  createRoutingRuntime,
  createUsageMeter,
  embedWith,
  traceAdmission,
  traceChatCache,
  traceChatGateway,
  traceEmbeddingGateway,
  traceMeter,
} from '../gateway/index.ts';
import { createAuditLog } from '../identity/audit/index.ts';
import { startAlertDelivery, type WebhookUrlPolicy } from '../metering/budgets/index.ts';
import {
  announceCommittedUsage,
  createPriceTable,
  createUsageLedger,
  startUsagePartitionUpkeep,
} from '../metering/index.ts';
import type { CallCredentials, Provider } from '../model/index.ts';
import { catalogPrices, traceProvider } from '../providers/index.ts';
import { createModelCatalog } from '../routing/index.ts';
import { ensureVectorColumn } from '../storage/vectors/index.ts';
import { createLocalTracing, createMetrics } from '../telemetry/index.ts';
import { createAdministrationServices } from './administration/index.ts';
import { createCacheServices } from './caching/index.ts';
import { composeAdmission } from './compose-admission.ts';
import { composeAuthenticationGuard } from './compose-authentication-guard.ts';
import { composeClientApis } from './compose-client-apis.ts';
import {
  createAgentKnowledgeSearch,
  createKnowledgeServices,
  traceKnowledgeServices,
} from './knowledge/index.ts';
import { openKnowledgeVectors } from './knowledge-vectors.ts';
import { createLimitStores } from './limit-stores.ts';
import { postOperatorWebhook } from './operator-webhook.ts';
import type { Platform } from './platform.ts';
import {
  collectScrapeMetrics,
  ingestionMetricsObserver,
  observedKeyValueStore,
  swarmMetricsObserver,
} from './platform-metrics.ts';
import type { PlatformPorts } from './platform-ports.ts';
import { createConversationServices } from './responses/index.ts';
import { composeSignIn } from './sign-in/index.ts';
import { startDirectories } from './start-directories.ts';
import { createToolLibraryServices } from './tool-library/index.ts';
import { createTraceContentServices } from './trace-content/index.ts';
import { createUsageServices } from './usage/index.ts';

/**
 * Composes the platform from injected ports: the composition root that HTTP, the worker and every
 * other surface share. Closing it stops the background work it started and flushes metering.
 */
export async function createPlatform(ports: PlatformPorts): Promise<Platform> {
  const { config, clock, logger } = ports;
  // why: nothing in the running platform holds the schema owner's handle. Services start isolated
  // (tenant tables look empty) and name the organisation they work for; the platform's own
  // cross-organisation work below names its reason (docs/architecture.md, "Tenant isolation").
  const database = ports.database.isolated();
  // Schema work the restricted role may not do, done once as the owner at start-up: pgvector's
  // column for the semantic cache where the extension can be loaded (see ensureVectorColumn).
  await ensureVectorColumn(ports.database, 'semantic_cache_entries', 'embedding_vector');
  // The same for knowledge chunks, with their HNSW indexes (see prepareChunkVectors), or Qdrant.
  const owner = ports.database;
  const knowledgeVectors = await openKnowledgeVectors(owner, config.vectors, logger, database);
  const across = (reason: string) => database.forPlatform(reason);
  const metrics = createMetrics({ defaultMetrics: ports.processMetrics ?? false });
  const keyValueStore = observedKeyValueStore(ports.keyValueStore, metrics);
  const tokenizer = ports.tokenizer;
  const prices = createPriceTable(config.prices, catalogPrices(config));
  // why a default: a platform built without tracing (tests, embedders) still passes trace context on.
  const tracing = ports.tracing ?? createLocalTracing();
  const traced = (providers: readonly Provider[]) =>
    providers.map((provider) => traceProvider(provider, tracing));
  const catalog = createModelCatalog(traced(ports.providers), config.aliases);
  // why: a reload swaps these; services read them through this object at each use.
  const state = { config, catalog, prices, providers: ports.providers };
  const routingRuntime = createRoutingRuntime({
    keyValueStore,
    clock,
    random: ports.random ?? Math.random,
    onWarning: (message) => logger.warn(message),
    onCall: (deployment, ok) =>
      metrics.providerCalls.inc({ deployment, outcome: ok ? 'success' : 'failure' }),
    tracing,
  });
  routingRuntime.configure(config, catalog, prices);
  const ledger = createUsageLedger({
    database: across('metering writes usage records in batches'),
    clock,
    batchMaxRecords: config.metering.batch_max_records,
    queueMaxRecords: config.metering.queue_max_records,
    concurrentWrites: ports.database.concurrentStatements,
    onBatchWritten: (records, durationMs) => {
      metrics.meteringBatchSize.observe(records);
      metrics.meteringWriteDuration.observe(durationMs / 1000);
    },
    onRecordsCommitted: (records) =>
      announceCommittedUsage(ports.eventBus, records, (error) =>
        logger.warn({ err: error }, 'announcing committed usage failed'),
      ),
    onWriteError: (error, attempt) => {
      metrics.meteringWriteErrors.inc();
      logger.warn({ err: error, attempt }, 'usage write failed; retrying');
    },
  });
  const usagePartitions = await startUsagePartitionUpkeep({
    database: across('usage record partitions are created ahead of their months'),
    clock,
    monthsAhead: config.metering.partition_months_ahead,
    onCreated: (created) => logger.info({ created }, 'usage record partitions created'),
    onError: (error) => logger.warn({ err: error }, 'creating usage record partitions failed'),
  });
  const { authenticator, providerCredentials, planDirectory, budgetDirectory } = await startDirectories({
    config,
    across,
    eventBus: ports.eventBus,
    clock,
    secretBox: ports.secretBox,
    logger,
  });
  // SSRF: every URL an organisation chose is reached only through a client that refuses
  // non-public addresses (and checked the same way when it is set).
  const resolveHost = ports.resolveHost ?? systemHostResolver;
  const webhookAllowlist = ports.allowInsecureWebhooks
    ? createNetworkAllowlist(['127.0.0.0/8', '::1', 'localhost'])
    : emptyAllowlist;
  const traceHeaders = () => tracing.inject({});
  const webhookTransport = createGuardedHttpClient({
    allowlist: webhookAllowlist,
    resolveHost,
    maxRedirects: 0,
    traceHeaders,
  });
  const tenantProviderTransport = createGuardedHttpClient({ allowlist: emptyAllowlist, resolveHost });
  const webhookUrls: WebhookUrlPolicy = {
    allowInsecureLocalhost: ports.allowInsecureWebhooks ?? false,
    destinationProblem: (url) => urlDestinationProblem(url, { allowlist: webhookAllowlist, resolveHost }),
  };
  const alertDelivery = await startAlertDelivery({
    queue: ports.jobQueue,
    database: across('budget alert delivery'),
    secretBox: ports.secretBox,
    fetch: webhookTransport.fetch,
    clock,
    urlPolicy: webhookUrls,
    onError: (error) => logger.warn({ err: error }, 'budget alert delivery sweep failed'),
    tracing,
  });
  // why: an organisation's own base URL is the organisation's choice, so calls to it go through the guarded client.
  const credentials = async (
    organizationId: string,
    provider: string,
  ): Promise<CallCredentials | undefined> => {
    const found = await providerCredentials.credentialsFor(organizationId, provider);
    return found?.baseUrl ? { ...found, fetch: tenantProviderTransport.fetch } : found;
  };
  const untracedCache = createChatCache({
    config: () => state.config.cache,
    keyValueStore,
    database: across('response cache'),
    eventBus: ports.eventBus,
    clock,
    metrics,
    policyPollIntervalMs: config.auth.revocation_poll_ms,
    embed: embedWith(() => state.catalog),
    onError: (error, what) => logger.warn({ err: error }, `${what} failed; served without it`),
  });
  await untracedCache.start();
  const cache = traceChatCache(untracedCache, tracing);
  const meter = traceMeter(
    createUsageMeter({
      ledger,
      prices: () => state.prices,
      metrics,
      clock,
      knownModel: (name) => state.catalog.has(name),
    }),
    tracing,
  );
  const routing = () => routingRuntime.current();
  const audit = createAuditLog({ database, clock });
  const traceContent = createTraceContentServices({ database, audit, clock });
  const limitStores = createLimitStores({
    database: across('admission limits'),
    keyValueStore,
    clock,
    logger,
  });
  const limitSettings = () => state.config.limits;
  const admission = traceAdmission(
    composeAdmission({
      database: across('admission'),
      jobQueue: ports.jobQueue,
      limitStores,
      plans: planDirectory,
      budgets: budgetDirectory,
      settings: limitSettings,
      prices: () => state.prices,
      clock,
      metrics,
      logger,
      tracing,
    }),
    tracing,
  );
  const admitted = {
    admission,
    meter,
    tokenizer,
    defaultMaxTokens: () => limitSettings().default_max_tokens,
  };
  const chat = traceChatGateway(
    admitChatGateway(
      createCachedChatGateway(createChatGateway({ routing, meter, tokenizer, metrics, credentials }), {
        cache,
        routing,
        catalog: () => state.catalog,
        meter,
        metrics,
      }),
      admitted,
    ),
    tracing,
    traceContent,
  );

  const embeddings = traceEmbeddingGateway(
    admitEmbeddingGateway(
      createEmbeddingGateway({ routing, meter, tokenizer, metrics, credentials }),
      admitted,
    ),
    tracing,
  );

  const knowledge = traceKnowledgeServices(
    createKnowledgeServices({
      database,
      store: knowledgeVectors,
      embeddings,
      tokenizer,
      clock,
      audit,
      jobQueue: ports.jobQueue,
      eventBus: ports.eventBus,
      plan: (id) => planDirectory.get(id),
      ...(ports.knowledge?.ingestion ? { ingestion: ports.knowledge.ingestion } : {}),
      onError: (error, message) => logger.warn({ err: error }, message),
      onIngestionEnded: ingestionMetricsObserver(metrics),
      tracing,
    }),
    tracing,
  );
  const { responses, files, batches, ...clientApis } = await composeClientApis(ports, {
    database,
    chat,
    embeddings,
    knowledge: knowledge.retrieval,
    meter,
    clock,
    tokenizer,
    logger,
    config: () => state.config,
  });

  const agentTools = createAgentToolkit({
    database: across('agent tools of running swarms'),
    secretBox: ports.secretBox,
    clock,
    config: () => state.config.tools,
    resolveHost,
    knowledgeSearch: createAgentKnowledgeSearch(knowledge.retrieval),
    onServerLog: (server, line) => logger.debug({ server, line }, 'mcp server log'),
    traceHeaders,
  });
  const swarmStore = across('swarm runtime');
  const swarms = createSwarmRuntime({
    database: swarmStore,
    eventBus: ports.eventBus,
    jobQueue: ports.jobQueue,
    chat,
    tools: ports.swarms?.tools ?? agentTools.toolResolver,
    templates: ports.swarms?.templates ?? createTemplateResolver(swarmStore),
    knowledgeBases: knowledge.retrieval.checkKnowledgeBases,
    pricing: createModelPricing({ catalog: () => state.catalog, prices: () => state.prices }),
    clock,
    ...(ports.swarms?.options ? { options: ports.swarms.options } : {}),
    onError: (error, message) => logger.warn({ err: error }, message),
    observer: swarmMetricsObserver(metrics),
    tracing,
  });

  if (ports.swarms?.runWorker ?? true) await swarms.startWorker();

  const authenticationGuard = composeAuthenticationGuard({
    keyValueStore,
    clock,
    database,
    audit,
    logger,
    config: () => state.config,
  });
  const signIn = composeSignIn({
    config,
    database,
    keyValueStore,
    clock,
    audit,
    secretBox: ports.secretBox,
    masterKey: ports.masterKey ?? null,
    resolveHost,
    ...(ports.identityProviderFetch ? { identityProviderFetch: ports.identityProviderFetch } : {}),
    onMemberKeysChanged: (hashes) => authenticator.announceChange(hashes),
    guard: authenticationGuard,
    onAuditError: (error) => logger.error({ err: error }, 'could not audit a failed sign-in'),
  });

  if (ports.knowledge?.runWorker ?? true) await knowledge.startWorker();

  const platform: Platform = {
    get config() {
      return state.config;
    },
    get catalog() {
      return state.catalog;
    },
    get prices() {
      return state.prices;
    },
    get providers() {
      return state.providers;
    },
    database,
    keyValueStore,
    clock,
    logger,
    metrics,
    tracing,
    tokenizer,
    secretBox: ports.secretBox,
    authenticator,
    authenticationGuard,
    providerCredentials,
    chat,
    embeddings,
    responses,
    conversations: createConversationServices({ database, clock }),
    files,
    batches,
    knowledge,
    meter,
    ledger,
    usage: createUsageServices({ database, clock, eventBus: ports.eventBus }),
    audit,
    routing: routingRuntime,
    cache,
    caching: createCacheServices({ database, clock, audit, cache, config: () => state.config }),
    plans: planDirectory,
    budgets: budgetDirectory,
    budgetLevels: (budgets) => limitStores.spendLedger.levels(budgets),
    webhookUrls,
    swarms,
    agentTools,
    traceContent,
    toolLibrary: createToolLibraryServices({
      database,
      audit,
      secretBox: ports.secretBox,
      toolkit: agentTools,
      toolsConfig: () => state.config.tools,
    }),
    signIn: signIn.signIn,
    ssoConnections: signIn.ssoConnections,
    administration: createAdministrationServices({
      database,
      clock,
      audit,
      sessions: signIn.sessions,
      authenticator,
      providerCredentials,
      catalog: () => state.catalog,
      providers: () => state.providers,
      secretBox: ports.secretBox,
      defaultPlan: () => state.config.organizations.default_plan,
      plans: planDirectory,
      budgets: budgetDirectory,
      budgetLevels: (budgets) => limitStores.spendLedger.levels(budgets),
      webhookUrls,
      baseUrlProblem: (url) => urlDestinationProblem(url, { allowlist: emptyAllowlist, resolveHost }),
      invitations: {
        database,
        audit,
        clock,
        config: () => state.config.identity,
        deliver: postOperatorWebhook,
        onDeliveryError: (error) => logger.warn({ err: error }, 'invitation webhook delivery failed'),
      },
    }),
    startedAtSeconds: Math.floor(clock.now() / 1000),
    collectMetrics: () =>
      collectScrapeMetrics({ database, keyValueStore, jobQueue: ports.jobQueue, ledger, clock, metrics }),
    reload(next: ConfigFile, providers: readonly Provider[] = state.providers) {
      const nextPrices = createPriceTable(next.prices, catalogPrices(next));
      const nextCatalog = createModelCatalog(traced(providers), next.aliases);
      routingRuntime.configure(next, nextCatalog, nextPrices);
      state.config = next;
      state.catalog = nextCatalog;
      state.prices = nextPrices;
      state.providers = providers;
      logger.info({ models: nextCatalog.list().length }, 'config reloaded');
    },
    async close() {
      await clientApis.close();
      await knowledge.close();
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
      usagePartitions.stop();
      await agentTools.close();
      await webhookTransport.close();
      await tenantProviderTransport.close();
      await signIn.close();
      await knowledgeVectors.idle();
      // why: only the default tracing is this platform's; an injected one belongs to its creator.
      if (!ports.tracing) await tracing.close();
    },
  };
  return platform;
}
