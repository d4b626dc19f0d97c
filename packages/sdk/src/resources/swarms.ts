import type {
  CreateSwarmRequest,
  ListEnvelope,
  Swarm,
  SwarmApproval,
  SwarmEvent,
  SwarmListQuery,
  SwarmTemplate,
} from '../api-types.ts';
import { InvalidParameterError } from '../errors/index.ts';
import { type Query, segment, type Transport } from '../transport/index.ts';
import { followEvents } from './follow-events.ts';

export interface SwarmWatchOptions {
  /** Start after this event sequence number (default: from the first event). */
  after?: number;
  signal?: AbortSignal;
}

/** A fresh Idempotency-Key: 128 random bits. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** /v1/swarm-templates. */
export class SwarmTemplatesResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }
  async list(): Promise<SwarmTemplate[]> {
    return (
      await this.#transport.json<ListEnvelope<SwarmTemplate>>({ method: 'GET', path: '/v1/swarm-templates' })
    ).data;
  }
  get(name: string): Promise<SwarmTemplate> {
    return this.#transport.json({ method: 'GET', path: `/v1/swarm-templates/${segment(name)}` });
  }
}

/** Agent swarm runs: /v1/swarms. */
export class SwarmsResource {
  readonly templates: SwarmTemplatesResource;
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
    this.templates = new SwarmTemplatesResource(transport);
  }

  /**
   * Starts a run. Every call carries an Idempotency-Key (a fresh one unless given), so the SDK's
   * retries never start a second run, and a caller that passes its own key may repeat the call safely.
   */
  create(
    request: CreateSwarmRequest,
    options: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<Swarm> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/swarms',
      json: request,
      headers: { 'idempotency-key': options.idempotencyKey ?? newIdempotencyKey() },
      retrySafe: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  get(id: string): Promise<Swarm> {
    return this.#transport.json({ method: 'GET', path: `/v1/swarms/${segment(id)}` });
  }

  list(query: SwarmListQuery = {}): Promise<ListEnvelope<Swarm>> {
    return this.#transport.json({ method: 'GET', path: '/v1/swarms', query: query as Query });
  }

  cancel(id: string): Promise<Swarm> {
    return this.#transport.json({ method: 'POST', path: `/v1/swarms/${segment(id)}/cancel` });
  }

  /**
   * Decides a pending approval. Without `step_id` (or its alias `approval_id`) the run must have
   * exactly one pending approval, which is decided.
   */
  async approve(id: string, approval: SwarmApproval): Promise<Swarm> {
    let stepId = approval.step_id ?? approval.approval_id;
    if (stepId === undefined) {
      const pending = (await this.get(id)).pending_approvals ?? [];
      if (pending.length !== 1) {
        throw new InvalidParameterError({
          message: `The run '${id}' has ${pending.length} pending approvals; name one with step_id.`,
          code: 'INVALID_REQUEST',
          param: 'step_id',
          recoveryHint: 'Pass step_id from the run’s pending_approvals (kimi.swarms.get(id)).',
        });
      }
      stepId = (pending[0] as { step_id: string }).step_id;
    }
    return this.#transport.json({
      method: 'POST',
      path: `/v1/swarms/${segment(id)}/approvals`,
      json: {
        step_id: stepId,
        decision: approval.decision === 'reject' ? 'reject' : 'accept',
        ...(approval.reason === undefined ? {} : { reason: approval.reason }),
      },
    });
  }

  /**
   * The run's events, each once and in order, until its terminal event (`run-end` or `run-error`).
   * A dropped connection is resumed with Last-Event-ID.
   */
  async *watch(id: string, options: SwarmWatchOptions = {}): AsyncGenerator<SwarmEvent, void, undefined> {
    for await (const event of followEvents(this.#transport, {
      path: `/v1/swarms/${segment(id)}/events`,
      isTerminal: (event) => event.event === 'run-end' || event.event === 'run-error',
      ...(options.after === undefined ? {} : { after: options.after }),
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      yield JSON.parse(event.data) as SwarmEvent;
    }
  }
}
