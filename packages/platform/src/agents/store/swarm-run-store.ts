import type { Database } from '../../storage/db/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { RunSpecification, SwarmPlan, SwarmRunRecord, SwarmRunStatus } from '../swarm-types.ts';
import { type SwarmObserver, secondsBetween } from './swarm-observer.ts';

interface RunRow {
  id: string;
  organization_id: string;
  status: SwarmRunStatus;
  task: string;
  template: string | null;
  specification: RunSpecification;
  caller: AuthContext;
  plan: SwarmPlan | null;
  result: string | null;
  error: { code: string; message: string } | null;
  budget_usd: string | null;
  spent_usd: string;
  reserved_usd: string;
  prompt_tokens: number;
  completion_tokens: number;
  deadline_at: Date;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

// why: usage is summed from the steps (what the gateway metered), so runs without a budget never
// touch the run row per call; spent_usd and reserved_usd are the budget's own ledger.
const runColumns = `id, organization_id, status, task, template, specification, caller, plan, result, error,
  budget_usd, reserved_usd, deadline_at, created_at, updated_at, finished_at,
  (SELECT COALESCE(SUM(cost_usd), 0)::text FROM swarm_steps WHERE run_id = swarm_runs.id) AS spent_usd,
  (SELECT COALESCE(SUM(prompt_tokens), 0) FROM swarm_steps WHERE run_id = swarm_runs.id) AS prompt_tokens,
  (SELECT COALESCE(SUM(completion_tokens), 0) FROM swarm_steps WHERE run_id = swarm_runs.id) AS completion_tokens`;

function toRecord(row: RunRow): SwarmRunRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    status: row.status,
    task: row.task,
    template: row.template,
    specification: row.specification,
    caller: row.caller,
    plan: row.plan,
    result: row.result,
    error: row.error,
    budgetUsd: row.budget_usd,
    spentUsd: row.spent_usd,
    reservedUsd: row.reserved_usd,
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    deadlineAt: row.deadline_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export interface NewRun {
  id: string;
  organizationId: string;
  apiKeyId: string;
  task: string;
  template: string | null;
  specification: RunSpecification;
  caller: AuthContext;
  budgetUsd: string | null;
  deadlineAt: Date;
  now: Date;
  /** The creation's Idempotency-Key and the fingerprint of its request, when it came with one. */
  idempotency?: { key: string; fingerprint: string };
  /** `traceparent`/`tracestate` of the creating request, which every job of the run carries. */
  traceContext?: Readonly<Record<string, string>>;
}

/** The swarm_runs table: creation, reads, leases and status transitions. */
export class SwarmRunStore {
  constructor(
    private readonly database: Database,
    private readonly observer?: SwarmObserver,
  ) {}

  /**
   * Inserts the run; false when its Idempotency-Key is already taken in the organisation (by a run
   * created before, or by one whose creation commits concurrently: the unique index waits for it).
   */
  async insert(run: NewRun): Promise<boolean> {
    const result = await this.database.query(
      `INSERT INTO swarm_runs (id, organization_id, api_key_id, status, task, template, specification, caller,
         budget_usd, deadline_at, created_at, updated_at, idempotency_key, request_fingerprint, trace_context)
       VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13)
       ON CONFLICT (organization_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
      [
        run.id,
        run.organizationId,
        run.apiKeyId,
        run.task,
        run.template,
        JSON.stringify(run.specification),
        JSON.stringify(run.caller),
        run.budgetUsd,
        run.deadlineAt,
        run.now,
        run.idempotency?.key ?? null,
        run.idempotency?.fingerprint ?? null,
        run.traceContext?.traceparent ? JSON.stringify(run.traceContext) : null,
      ],
    );
    return result.rowCount > 0;
  }

  /** The trace context the run was created in ({} when it had none). */
  async traceContext(id: string): Promise<Record<string, string>> {
    const result = await this.database.query<{ trace_context: Record<string, string> | null }>(
      'SELECT trace_context FROM swarm_runs WHERE id = $1',
      [id],
    );
    return result.rows[0]?.trace_context ?? {};
  }

  /** The run created with this Idempotency-Key in the organisation, with its request's fingerprint. */
  async readByIdempotencyKey(
    organizationId: string,
    key: string,
  ): Promise<{ run: SwarmRunRecord; fingerprint: string } | null> {
    const result = await this.database.query<RunRow & { request_fingerprint: string }>(
      `SELECT ${runColumns}, request_fingerprint FROM swarm_runs
        WHERE organization_id = $1 AND idempotency_key = $2`,
      [organizationId, key],
    );
    const row = result.rows[0];
    return row ? { run: toRecord(row), fingerprint: row.request_fingerprint } : null;
  }

  /** The run, or null; scoped to an organisation when one is given. */
  async read(id: string, organizationId?: string): Promise<SwarmRunRecord | null> {
    const result = await this.database.query<RunRow>(
      `SELECT ${runColumns} FROM swarm_runs WHERE id = $1 AND ($2::text IS NULL OR organization_id = $2)`,
      [id, organizationId ?? null],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : null;
  }

  /** The organisation's runs, newest first, after the cursor (a run id) when given. */
  async list(
    organizationId: string,
    options: { status?: SwarmRunStatus; limit: number; after?: string },
  ): Promise<SwarmRunRecord[]> {
    const result = await this.database.query<RunRow>(
      `SELECT ${runColumns} FROM swarm_runs
       WHERE organization_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR (created_at, id) < (SELECT created_at, id FROM swarm_runs WHERE id = $3))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [organizationId, options.status ?? null, options.after ?? null, options.limit],
    );
    return result.rows.map(toRecord);
  }

  /**
   * Takes the run's lease for `owner` when it is free, expired or already ours (or, with `steal`,
   * in any case: a single-process store knows the previous owner is dead). Null when the run is
   * finished or another worker holds it.
   */
  async claim(
    id: string,
    owner: string,
    now: Date,
    leaseUntil: Date,
    steal: boolean,
  ): Promise<SwarmRunRecord | null> {
    const result = await this.database.query<RunRow>(
      `UPDATE swarm_runs SET lease_owner = $2, lease_expires_at = $4, updated_at = $3,
         status = CASE WHEN status = 'queued' THEN 'running' ELSE status END
       WHERE id = $1 AND status IN ('queued', 'running')
         AND ($5 OR lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at < $3)
       RETURNING ${runColumns}`,
      [id, owner, now, leaseUntil, steal],
    );
    const row = result.rows[0];
    return row ? toRecord(row) : null;
  }

  /** Extends our lease; the run's status, or null when the lease is no longer ours. */
  async renew(id: string, owner: string, now: Date, leaseUntil: Date): Promise<SwarmRunStatus | null> {
    const result = await this.database.query<{ status: SwarmRunStatus }>(
      `UPDATE swarm_runs SET lease_expires_at = $4 WHERE id = $1 AND lease_owner = $2 AND lease_expires_at >= $3
       RETURNING status`,
      [id, owner, now, leaseUntil],
    );
    return result.rows[0]?.status ?? null;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.database.query(
      'UPDATE swarm_runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2',
      [id, owner],
    );
  }

  async savePlan(id: string, plan: SwarmPlan, now: Date): Promise<void> {
    await this.database.query('UPDATE swarm_runs SET plan = $2, updated_at = $3 WHERE id = $1', [
      id,
      JSON.stringify(plan),
      now,
    ]);
  }

  /** Moves a live run to `status`; false when it had already left the `from` statuses. */
  async transition(
    id: string,
    from: readonly SwarmRunStatus[],
    status: SwarmRunStatus,
    now: Date,
    organizationId?: string,
  ): Promise<boolean> {
    const result = await this.database.query(
      `UPDATE swarm_runs SET status = $3, updated_at = $4
       WHERE id = $1 AND status = ANY($2::text[]) AND ($5::text IS NULL OR organization_id = $5)`,
      [id, [...from], status, now, organizationId ?? null],
    );
    return result.rowCount > 0;
  }

  /**
   * Ends a live run with a terminal status. Exactly one caller wins (the worker finishing, a
   * cancel, a timeout sweep); false for the others.
   */
  async finish(
    id: string,
    outcome: {
      status: SwarmRunStatus;
      result?: string | null;
      error?: { code: string; message: string } | null;
      now: Date;
      organizationId?: string;
    },
  ): Promise<boolean> {
    const result = await this.database.query<{ created_at: Date }>(
      `UPDATE swarm_runs SET status = $2, result = COALESCE($3, result), error = $4, finished_at = $5,
         updated_at = $5, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND status IN ('queued', 'running', 'awaiting_approval')
         AND ($6::text IS NULL OR organization_id = $6)
       RETURNING created_at`,
      [
        id,
        outcome.status,
        outcome.result ?? null,
        outcome.error ? JSON.stringify(outcome.error) : null,
        outcome.now,
        outcome.organizationId ?? null,
      ],
    );
    const finished = result.rows[0];
    if (finished) this.observer?.runEnded(outcome.status, secondsBetween(finished.created_at, outcome.now));
    return result.rowCount > 0;
  }

  /** Runs queued or running whose lease is free or lapsed: work a dead worker left behind. */
  async orphaned(now: Date, limit: number): Promise<string[]> {
    const result = await this.database.query<{ id: string }>(
      `SELECT id FROM swarm_runs WHERE status IN ('queued', 'running')
         AND (lease_expires_at IS NULL OR lease_expires_at < $1)
       ORDER BY created_at LIMIT $2`,
      [now, limit],
    );
    return result.rows.map((row) => row.id);
  }

  /** Live runs past their deadline that no worker holds (a holder times its run out itself). */
  async overdue(now: Date, limit: number): Promise<Array<{ id: string; organizationId: string }>> {
    const result = await this.database.query<{ id: string; organization_id: string }>(
      `SELECT id, organization_id FROM swarm_runs WHERE status IN ('queued', 'running', 'awaiting_approval')
         AND deadline_at < $1 AND (lease_expires_at IS NULL OR lease_expires_at < $1)
       ORDER BY deadline_at LIMIT $2`,
      [now, limit],
    );
    return result.rows.map((row) => ({ id: row.id, organizationId: row.organization_id }));
  }

  /** Reserves `amountUsd` of the run's budget; false when it would exceed it. */
  async reserve(id: string, amountUsd: string): Promise<boolean> {
    const result = await this.database.query(
      `UPDATE swarm_runs SET reserved_usd = reserved_usd + $2::numeric
       WHERE id = $1 AND (budget_usd IS NULL OR spent_usd + reserved_usd + $2::numeric <= budget_usd)`,
      [id, amountUsd],
    );
    return result.rowCount > 0;
  }

  /** Replaces a reservation with what the call actually cost. */
  async settle(
    id: string,
    reservedUsd: string,
    spent: { costUsd: string; promptTokens: number; completionTokens: number },
  ): Promise<void> {
    await this.database.query(
      `UPDATE swarm_runs SET reserved_usd = GREATEST(reserved_usd - $2::numeric, 0),
         spent_usd = spent_usd + $3::numeric, prompt_tokens = prompt_tokens + $4,
         completion_tokens = completion_tokens + $5
       WHERE id = $1`,
      [id, reservedUsd, spent.costUsd, spent.promptTokens, spent.completionTokens],
    );
  }

  /**
   * A new owner takes over: reservations a dead worker held are counted as spent, because the
   * calls behind them may have been billed; this never overspends, at the price of some budget.
   */
  async absorbReservations(id: string): Promise<void> {
    await this.database.query(
      'UPDATE swarm_runs SET spent_usd = spent_usd + reserved_usd, reserved_usd = 0 WHERE id = $1',
      [id],
    );
  }
}
