import type { SwarmRuntime } from '../agents/index.ts';
import type { AgentToolkit } from '../agents/tools/index.ts';
import type { ChatCache } from '../cache/index.ts';
import type { ConfigFile } from '../config/index.ts';
import type { ChatGateway, EmbeddingGateway, RoutingRuntime, UsageMeter } from '../gateway/index.ts';
import type { AuditLog } from '../identity/audit/index.ts';
import type { BudgetDirectory, WebhookUrlPolicy } from '../metering/budgets/index.ts';
import type { PriceTable, UsageLedger } from '../metering/index.ts';
import type { BudgetCounter, BudgetLevel } from '../metering/limits/index.ts';
import type { PlanDirectory } from '../metering/plans/index.ts';
import type { Provider } from '../model/index.ts';
import type { ModelCatalog } from '../routing/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { Clock, SecretBox, Tokenizer } from '../support/index.ts';
import type { Logger, Metrics, Tracing } from '../telemetry/index.ts';
import type { AuthenticationGuard, KeyAuthenticator, ProviderCredentialStore } from '../tenancy/index.ts';
import type { AdministrationServices } from './administration/index.ts';
import type { BatchServices } from './batches/index.ts';
import type { CacheServices } from './caching/index.ts';
import type { FileServices } from './files/index.ts';
import type { KnowledgeServices } from './knowledge/index.ts';
import type { ConversationServices, ResponseServices } from './responses/index.ts';
import type { SignInServices, SsoConnectionServices } from './sign-in/index.ts';
import type { ToolLibraryServices } from './tool-library/index.ts';
import type { TraceContentServices } from './trace-content/index.ts';
import type { UsageServices } from './usage/index.ts';

/**
 * The platform's services, independent of any protocol: HTTP, the worker and (later) GraphQL and
 * the CLI call these. `config`, `catalog`, `prices` and `providers` are the ones in force now —
 * read them at each use, since `reload` replaces them.
 */
export interface Platform {
  readonly config: ConfigFile;
  readonly catalog: ModelCatalog;
  readonly prices: PriceTable;
  readonly providers: readonly Provider[];
  readonly database: Database;
  readonly keyValueStore: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Refreshes the gauges read at scrape time (dependency pings, connections, queues); call before reading `metrics`. */
  collectMetrics(): Promise<void>;
  /** This process's tracer and W3C propagator (export off unless OTEL_TRACES_EXPORTER=otlp). */
  readonly tracing: Tracing;
  readonly tokenizer: Tokenizer;
  /** Seals secrets at rest; null when no master key is configured. */
  readonly secretBox: SecretBox | null;
  readonly authenticator: KeyAuthenticator;
  /** Refuses addresses and key prefixes that fail authentication too often (429). */
  readonly authenticationGuard: AuthenticationGuard;
  readonly providerCredentials: ProviderCredentialStore;
  /** Chat with admission, cache and routed attempts. */
  readonly chat: ChatGateway;
  readonly embeddings: EmbeddingGateway;
  /** The Responses API over `chat`: stored responses per organisation, `previous_response_id`. */
  readonly responses: ResponseServices;
  /** The Conversations API: conversations and their items, which `conversation` on a response continues. */
  readonly conversations: ConversationServices;
  /** OpenAI's Files API: uploads (batch input validated), reads, deletes, per organisation. */
  readonly files: FileServices;
  /** OpenAI batches and Anthropic message batches, run line by line on the job queue. */
  readonly batches: BatchServices;
  /** Knowledge bases (RAG): documents chunked and embedded through `embeddings`, hybrid search. */
  readonly knowledge: KnowledgeServices;
  readonly meter: UsageMeter;
  readonly ledger: UsageLedger;
  /** Usage reports from the ledger, for the caller's organisation. */
  readonly usage: UsageServices;
  /**
   * The append-only, hash-chained audit log: every admin change records into it in its own
   * transaction; lists, verification and export are organisation-scoped by the caller.
   */
  readonly audit: AuditLog;
  /** Routing and its resilience state (breakers, statistics). */
  readonly routing: RoutingRuntime;
  readonly cache: ChatCache;
  /** Cache statistics, purges and policies: each takes the caller and checks its role. */
  readonly caching: CacheServices;
  readonly plans: PlanDirectory;
  readonly budgets: BudgetDirectory;
  /** Live levels of budgets from the spend ledger. */
  budgetLevels(budgets: readonly BudgetCounter[]): Promise<BudgetLevel[]>;
  readonly webhookUrls: WebhookUrlPolicy;
  readonly swarms: SwarmRuntime;
  readonly agentTools: AgentToolkit;
  /** An organisation's tools, MCP servers, swarm templates and tool network allowlist. */
  readonly toolLibrary: ToolLibraryServices;
  /** Each organisation's opt-in to prompt and completion text on its trace spans. */
  readonly traceContent: TraceContentServices;
  /**
   * Single sign-on and browser sessions: sign-in, refresh, sign-out, and the callers of session
   * cookies and workload JWTs (503 for sign-in without a master key).
   */
  readonly signIn: SignInServices;
  /** An organisation's SSO connection (`admin:sso`). */
  readonly ssoConnections: SsoConnectionServices;
  /** Organisation, key and provider-key administration: each takes the caller and checks its role. */
  readonly administration: AdministrationServices;
  /** Seconds since the epoch when the platform was composed (the `created` of model objects). */
  readonly startedAtSeconds: number;
  /**
   * Applies a new config file (and, when given, the providers built from it) without a restart.
   * Everything is validated before anything changes: a bad config throws and the running one stays.
   * Server settings (body limit, shutdown grace) and the metering queue need a restart.
   */
  reload(config: ConfigFile, providers?: readonly Provider[]): void;
  /** Stops background work and flushes metering. */
  close(): Promise<void>;
}
