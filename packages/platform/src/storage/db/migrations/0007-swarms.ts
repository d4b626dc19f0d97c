import type { Migration } from './migration.ts';

/**
 * Agent swarms as durable runs. A run owns its plan, its steps (each model and tool call, keyed
 * deterministically within the run, with its result) and its progress events (numbered per run,
 * so streams resume without gaps). The lease columns let exactly one worker execute a run at a time.
 */
export const swarmsMigration: Migration = {
  version: 7,
  name: 'swarms',
  sql: `
CREATE TABLE swarm_runs (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  api_key_id text,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'awaiting_approval', 'completed',
    'failed', 'cancelled', 'timed_out', 'budget_exhausted')),
  task text NOT NULL,
  template text,
  specification jsonb NOT NULL,
  caller jsonb NOT NULL,
  plan jsonb,
  result text,
  error jsonb,
  budget_usd numeric(24, 12),
  spent_usd numeric(24, 12) NOT NULL DEFAULT 0,
  reserved_usd numeric(24, 12) NOT NULL DEFAULT 0,
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  deadline_at timestamptz NOT NULL,
  lease_owner text,
  lease_expires_at timestamptz,
  event_count bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX swarm_runs_organization_idx ON swarm_runs (organization_id, created_at DESC, id DESC);
CREATE INDEX swarm_runs_live_idx ON swarm_runs (status) WHERE status IN ('queued', 'running', 'awaiting_approval');

CREATE TABLE swarm_steps (
  run_id text NOT NULL REFERENCES swarm_runs (id) ON DELETE CASCADE,
  key text NOT NULL,
  organization_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('plan', 'model-call', 'tool-call', 'agent-result', 'synthesis')),
  agent_id text,
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'awaiting_approval',
    'approved', 'rejected')),
  attempts integer NOT NULL DEFAULT 1,
  input jsonb,
  output jsonb,
  error text,
  model text,
  prompt_tokens integer NOT NULL DEFAULT 0,
  completion_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(24, 12) NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (run_id, key)
);

CREATE TABLE swarm_events (
  run_id text NOT NULL REFERENCES swarm_runs (id) ON DELETE CASCADE,
  sequence bigint NOT NULL,
  event_key text NOT NULL,
  organization_id text NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, sequence),
  UNIQUE (run_id, event_key)
);
`,
};
