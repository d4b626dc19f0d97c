import type { Database } from '../../storage/db/index.ts';
import type { StepKind, StepStatus, SwarmStepRecord } from '../swarm-types.ts';
import { type SwarmObserver, secondsBetween } from './swarm-observer.ts';

interface EndedStepRow {
  kind: StepKind;
  started_at: Date;
}

interface StepRow {
  key: string;
  kind: StepKind;
  agent_id: string | null;
  status: StepStatus;
  attempts: number;
  input: unknown;
  output: unknown;
  error: string | null;
  model: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: string;
  started_at: Date;
  completed_at: Date | null;
}

function toRecord(row: StepRow): SwarmStepRecord {
  return {
    key: row.key,
    kind: row.kind,
    agentId: row.agent_id,
    status: row.status,
    attempts: row.attempts,
    input: row.input,
    output: row.output,
    error: row.error,
    model: row.model,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    costUsd: row.cost_usd,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  };
}

export interface StepStart {
  runId: string;
  organizationId: string;
  key: string;
  kind: StepKind;
  agentId: string | null;
  input: unknown;
  now: Date;
  /** The lease holder; the step starts only while it still holds the run. */
  owner: string;
  /** Start in this status instead of `running` (a tool call waiting for a human). */
  status?: StepStatus;
}

export interface StepCompletion {
  output: unknown;
  model?: string | null;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: string;
  now: Date;
}

/** The swarm_steps table: each model and tool call of a run, keyed deterministically within it. */
export class SwarmStepStore {
  constructor(
    private readonly database: Database,
    private readonly observer?: SwarmObserver,
  ) {}

  async list(runId: string): Promise<SwarmStepRecord[]> {
    const result = await this.database.query<StepRow>(
      `SELECT key, kind, agent_id, status, attempts, input, output, error, model, prompt_tokens,
         completion_tokens, cost_usd, started_at, completed_at
       FROM swarm_steps WHERE run_id = $1 ORDER BY started_at, key`,
      [runId],
    );
    return result.rows.map(toRecord);
  }

  /**
   * Records that a step is being executed (counting attempts). Null when it must not run: the
   * lease is no longer `owner`'s, or the step already has its result.
   */
  async start(step: StepStart): Promise<{ attempts: number } | null> {
    const result = await this.database.query<{ attempts: number }>(
      `INSERT INTO swarm_steps (run_id, key, organization_id, kind, agent_id, status, input, started_at)
       SELECT $1, $2, $3, $4, $5, $8, $6, $7
       WHERE EXISTS (SELECT 1 FROM swarm_runs WHERE id = $1 AND lease_owner = $9)
       ON CONFLICT (run_id, key) DO UPDATE SET attempts = swarm_steps.attempts + 1, status = $8,
         started_at = $7, error = NULL
         WHERE swarm_steps.status NOT IN ('completed', 'failed')
       RETURNING attempts`,
      [
        step.runId,
        step.key,
        step.organizationId,
        step.kind,
        step.agentId,
        JSON.stringify(step.input ?? null),
        step.now,
        step.status ?? 'running',
        step.owner,
      ],
    );
    const row = result.rows[0];
    return row ? { attempts: row.attempts } : null;
  }

  /** Writes the step's result; from here on it is never executed again. */
  async complete(runId: string, key: string, completion: StepCompletion): Promise<void> {
    const result = await this.database.query<EndedStepRow>(
      `UPDATE swarm_steps SET status = 'completed', output = $3, model = $4, prompt_tokens = $5,
         completion_tokens = $6, cost_usd = $7, completed_at = $8, error = NULL
       WHERE run_id = $1 AND key = $2
       RETURNING kind, started_at`,
      [
        runId,
        key,
        JSON.stringify(completion.output ?? null),
        completion.model ?? null,
        completion.promptTokens ?? 0,
        completion.completionTokens ?? 0,
        completion.costUsd ?? '0',
        completion.now,
      ],
    );
    this.#ended(result.rows[0], 'completed', completion.now);
  }

  /** Writes a step that is complete as soon as it starts (an agent's outcome), in one statement. */
  async record(step: StepStart & { output: unknown }): Promise<boolean> {
    const result = await this.database.query(
      `INSERT INTO swarm_steps (run_id, key, organization_id, kind, agent_id, status, input, output, started_at, completed_at)
       SELECT $1, $2, $3, $4, $5, 'completed', $6, $7, $8, $8
       WHERE EXISTS (SELECT 1 FROM swarm_runs WHERE id = $1 AND lease_owner = $9)
       ON CONFLICT (run_id, key) DO UPDATE SET status = 'completed', output = $7, completed_at = $8
         WHERE swarm_steps.status <> 'completed'`,
      [
        step.runId,
        step.key,
        step.organizationId,
        step.kind,
        step.agentId,
        JSON.stringify(step.input ?? null),
        JSON.stringify(step.output ?? null),
        step.now,
        step.owner,
      ],
    );
    if (result.rowCount > 0) this.observer?.stepEnded(step.kind, 'completed', 0);
    return result.rowCount > 0;
  }

  /** Records a final failure (the gateway gave up); replays see it instead of calling again. */
  async fail(runId: string, key: string, error: string, now: Date): Promise<void> {
    const result = await this.database.query<EndedStepRow>(
      `UPDATE swarm_steps SET status = 'failed', error = $3, completed_at = $4 WHERE run_id = $1 AND key = $2
       RETURNING kind, started_at`,
      [runId, key, error, now],
    );
    this.#ended(result.rows[0], 'failed', now);
  }

  #ended(row: EndedStepRow | undefined, outcome: 'completed' | 'failed', now: Date): void {
    if (row) this.observer?.stepEnded(row.kind, outcome, secondsBetween(row.started_at, now));
  }

  /** Records a human's decision on a tool call waiting for approval; false when none waits. */
  async decide(
    runId: string,
    organizationId: string,
    key: string,
    decision: 'approved' | 'rejected',
    reason: string | null,
    now: Date,
  ): Promise<boolean> {
    const result = await this.database.query(
      `UPDATE swarm_steps SET status = $4, output = $5, completed_at = NULL, started_at = $6
       WHERE run_id = $1 AND organization_id = $2 AND key = $3 AND status = 'awaiting_approval'`,
      [runId, organizationId, key, decision, JSON.stringify({ decision, reason }), now],
    );
    return result.rowCount > 0;
  }
}
