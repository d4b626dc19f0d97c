import type { Me } from './api-types.ts';
import {
  AdminResource,
  AuditResource,
  ChatResource,
  EmbeddingsResource,
  HealthResource,
  KnowledgeBasesResource,
  MetricsResource,
  ModelsResource,
  SwarmsResource,
  UsageResource,
} from './resources/index.ts';
import { type RetryPolicy, Transport } from './transport/index.ts';

export interface KimiOptions {
  /** Default: `process.env.KIMI_API_KEY` where `process` exists. Without one, calls that need a key fail with API_KEY_MISSING. */
  apiKey?: string;
  /** Default: `process.env.KIMI_BASE_URL`, else http://localhost:8080. */
  baseUrl?: string;
  /** Sent as `x-kimi-organization` when set. */
  organizationId?: string;
  /** Per attempt, in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Retries of a retryable failure (full-jitter backoff, honouring Retry-After). Default 2. */
  maxRetries?: number;
  /** The transport; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Backoff tuning (base and cap of the jitter, the longest Retry-After worth waiting for). */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
}

function environment(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[name] || undefined;
}

/** The Kimi Platform client. */
export class Kimi {
  readonly transport: Transport;
  readonly chat: ChatResource;
  readonly embeddings: EmbeddingsResource;
  readonly models: ModelsResource;
  readonly swarms: SwarmsResource;
  readonly knowledgeBases: KnowledgeBasesResource;
  readonly usage: UsageResource;
  readonly audit: AuditResource;
  readonly health: HealthResource;
  readonly metrics: MetricsResource;
  readonly admin: AdminResource;

  constructor(options: KimiOptions = {}) {
    // why no error without a key: health and metrics need none; other calls get the server's API_KEY_MISSING
    const apiKey = options.apiKey ?? environment('KIMI_API_KEY') ?? '';
    const fetchFunction = options.fetch ?? globalThis.fetch;
    this.transport = new Transport(
      {
        apiKey,
        baseUrl: options.baseUrl ?? environment('KIMI_BASE_URL') ?? 'http://localhost:8080',
        timeoutMs: options.timeoutMs ?? 60_000,
        maxRetries: options.maxRetries ?? 2,
        // why bind: a browser's fetch throws "Illegal invocation" when called as a method of another object
        fetch: fetchFunction === globalThis.fetch ? fetchFunction.bind(globalThis) : fetchFunction,
        ...(options.organizationId ? { organizationId: options.organizationId } : {}),
      },
      options.retry ?? {},
    );
    this.chat = new ChatResource(this.transport);
    this.embeddings = new EmbeddingsResource(this.transport);
    this.models = new ModelsResource(this.transport);
    this.swarms = new SwarmsResource(this.transport);
    this.knowledgeBases = new KnowledgeBasesResource(this.transport);
    this.usage = new UsageResource(this.transport);
    this.audit = new AuditResource(this.transport);
    this.health = new HealthResource(this.transport);
    this.metrics = new MetricsResource(this.transport);
    this.admin = new AdminResource(this.transport);
  }

  /** GET /v1/me: who the key is, its role, scopes and permissions. */
  me(): Promise<Me> {
    return this.transport.json({ method: 'GET', path: '/v1/me' });
  }
}
