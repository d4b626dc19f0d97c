import type { SwarmRuntimeOptions, TemplateResolver, ToolResolver } from '../agents/index.ts';
import type { HostResolver } from '../agents/tools/index.ts';
import type { ConfigFile } from '../config/index.ts';
import type { ProviderFetch } from '../identity/sso/index.ts';
import type { Provider } from '../model/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { KeyValueStore } from '../storage/kv/index.ts';
import type { EventBus } from '../storage/pubsub/index.ts';
import type { JobQueue } from '../storage/queue/index.ts';
import type { Clock, RandomSource, SecretBox, Tokenizer } from '../support/index.ts';
import type { Logger, Tracing } from '../telemetry/index.ts';
import type { KnowledgeIngestionSettings } from './knowledge/index.ts';

/** Everything with I/O the platform uses, injected so tests compose it from real or local parts. */
export interface PlatformPorts {
  config: ConfigFile;
  database: Database;
  keyValueStore: KeyValueStore;
  eventBus: EventBus;
  jobQueue: JobQueue;
  providers: readonly Provider[];
  /** Counts tokens where a provider reports none; the same one the providers were built with. */
  tokenizer: Tokenizer;
  clock: Clock;
  /** Weighted routing and retry jitter; default Math.random (tests pass a seeded source). */
  random?: RandomSource;
  logger: Logger;
  /** Spans and trace context; default a tracing that exports nothing but still passes context on. */
  tracing?: Tracing;
  /** Seals per-organisation provider keys; null when no master key is configured (then none can be stored). */
  secretBox: SecretBox | null;
  /**
   * The master key's bytes (the one `secretBox` seals with): browser sessions derive their signing
   * keys from it. Absent or null: sign-in routes and sessions answer 503.
   */
  masterKey?: Uint8Array | null;
  /**
   * DNS for every SSRF check of a tenant-supplied URL (tools, MCP servers, webhooks, provider base
   * URLs); default the system resolver. Tests pass their own, so no lookup leaves the machine.
   */
  resolveHost?: HostResolver;
  /**
   * The fetch calls to identity providers go through; default a client that refuses private
   * networks (loopback allowed with `sso.allow_loopback_issuers`). Tests pass one that records.
   */
  identityProviderFetch?: ProviderFetch;
  /** Lets webhooks point at http://127.0.0.1 (tests only; production webhooks must be https). */
  allowInsecureWebhooks?: boolean;
  /** Process-level metrics (CPU, memory, event loop) on /metrics; off in tests that build many apps. */
  processMetrics?: boolean;
  /** Background responses: whether this process runs them, and the runner's lease and poll interval. */
  responses?: {
    /** False for an API-only process; default true. */
    runWorker?: boolean;
    background?: { leaseMs?: number; concurrency?: number; pollIntervalMs?: number };
  };
  /** Batches: false for a process that serves the API but runs no batch lines; default true. */
  batches?: { runWorker?: boolean };
  /** Knowledge ingestion: false for a process that ingests no documents (default true), and the worker's tuning. */
  knowledge?: { runWorker?: boolean; ingestion?: Partial<KnowledgeIngestionSettings> };
  /** Agent swarms: tools and templates to resolve, runtime options, and whether this process executes runs. */
  swarms?: {
    tools?: ToolResolver;
    templates?: TemplateResolver;
    options?: SwarmRuntimeOptions;
    /** False for an API-only process; default true. */
    runWorker?: boolean;
  };
}
