import type {
  AuditQuery,
  AuditVerification,
  EmbeddingRequest,
  EmbeddingResponse,
  HealthStatus,
  ListEnvelope,
  Model,
  UsageQuery,
  UsageReport,
} from '../api-types.ts';
import { KimiError } from '../errors/index.ts';
import type { Query, Transport } from '../transport/index.ts';

/** POST /v1/embeddings. */
export class EmbeddingsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  create(request: EmbeddingRequest): Promise<EmbeddingResponse> {
    return this.#transport.json({ method: 'POST', path: '/v1/embeddings', json: request });
  }
}

/** GET /v1/models. */
export class ModelsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  async list(): Promise<Model[]> {
    return (await this.#transport.json<ListEnvelope<Model>>({ method: 'GET', path: '/v1/models' })).data;
  }
}

/** /healthz and /readyz (no authentication needed). */
export class HealthResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  /** Never throws for a failing check: `live`/`ready` say false and `details` what was answered. */
  async check(): Promise<HealthStatus> {
    const probe = async (path: string) => {
      try {
        return {
          ok: true,
          body: await this.#transport.json<unknown>({ method: 'GET', path, maxRetries: 0 }),
        };
      } catch (error) {
        if (error instanceof KimiError) return { ok: false, body: error.toJSON() };
        throw error;
      }
    };
    const [live, ready] = await Promise.all([probe('/healthz'), probe('/readyz')]);
    return { live: live.ok, ready: ready.ok, details: { live: live.body, ready: ready.body } };
  }
}

/** GET /metrics: Prometheus text. */
export class MetricsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  get(): Promise<string> {
    return this.#transport.text({ method: 'GET', path: '/metrics', headers: { accept: 'text/plain' } });
  }
}

/** GET /v1/usage. */
export class UsageResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  get(query: UsageQuery = {}): Promise<UsageReport> {
    return this.#transport.json({ method: 'GET', path: '/v1/usage', query: query as Query });
  }
}

/** The audit log: list, verify the hash chain, export (JSON lines). */
export class AuditResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  list(query: AuditQuery = {}): Promise<ListEnvelope<{ [field: string]: unknown }>> {
    return this.#transport.json({ method: 'GET', path: '/v1/audit', query: query as Query });
  }
  verify(query: { organization_id?: string } = {}): Promise<AuditVerification> {
    return this.#transport.json({ method: 'GET', path: '/v1/audit/verify', query });
  }
  /** The entries as the server exports them (JSON lines). */
  export(query: Omit<AuditQuery, 'limit' | 'after'> = {}): Promise<string> {
    return this.#transport.text({
      method: 'GET',
      path: '/v1/audit/export',
      query: query as Query,
      headers: { accept: 'application/x-ndjson, application/json' },
    });
  }
}
