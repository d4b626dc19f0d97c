import type { Migration } from './migration.ts';

/**
 * Plans, budgets and rate limits. Budgets keep a durable ledger per period (spent, and reserved
 * when reservations run in SQL); the live counters run in the kv port when one is shared.
 */
export const plansBudgetsLimitsMigration: Migration = {
  version: 5,
  name: 'plans-budgets-limits',
  sql: `
CREATE TABLE plans (
  id text PRIMARY KEY,
  name text NOT NULL,
  source text NOT NULL CHECK (source IN ('built-in', 'config', 'api')),
  monthly_price_usd numeric(12, 2),
  monthly_request_quota integer CHECK (monthly_request_quota IS NULL OR monthly_request_quota >= 0),
  allowed_models text[],
  requests_per_minute integer CHECK (requests_per_minute IS NULL OR requests_per_minute > 0),
  tokens_per_minute integer CHECK (tokens_per_minute IS NULL OR tokens_per_minute > 0),
  concurrent_requests integer CHECK (concurrent_requests IS NULL OR concurrent_requests > 0),
  monthly_budget_usd numeric(24, 12) CHECK (monthly_budget_usd IS NULL OR monthly_budget_usd > 0),
  rank integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE organizations ADD COLUMN plan_id text;
ALTER TABLE organizations ADD COLUMN rate_limits jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE api_keys ADD COLUMN rate_limits jsonb NOT NULL DEFAULT '{}'::jsonb;

CREATE TABLE budgets (
  id text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  scope text NOT NULL CHECK (scope IN ('organization', 'api_key', 'end_user')),
  subject text NOT NULL,
  limit_usd numeric(24, 12) NOT NULL CHECK (limit_usd > 0),
  period text NOT NULL CHECK (period IN ('day', 'month', 'total')),
  period_start timestamptz NOT NULL,
  spent_usd numeric(24, 12) NOT NULL DEFAULT 0,
  reserved_usd numeric(24, 12) NOT NULL DEFAULT 0,
  alert_thresholds integer[] NOT NULL DEFAULT '{50,80,100}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX budgets_subject_idx ON budgets (organization_id, scope, subject) WHERE deleted_at IS NULL;
CREATE INDEX budgets_updated_idx ON budgets (updated_at);

-- Reservations made in SQL mode, so a crashed request's hold can expire.
CREATE TABLE budget_reservations (
  id text PRIMARY KEY,
  budget_ids text[] NOT NULL,
  amount_usd numeric(24, 12) NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX budget_reservations_expiry_idx ON budget_reservations (expires_at);

CREATE TABLE budget_alerts (
  budget_id text NOT NULL REFERENCES budgets (id),
  period_start timestamptz NOT NULL,
  threshold integer NOT NULL,
  organization_id text NOT NULL,
  spent_usd numeric(24, 12) NOT NULL,
  limit_usd numeric(24, 12) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  delivery_attempts integer NOT NULL DEFAULT 0,
  last_delivery_error text,
  PRIMARY KEY (budget_id, period_start, threshold)
);

CREATE TABLE organization_webhooks (
  organization_id text PRIMARY KEY REFERENCES organizations (id),
  url text NOT NULL,
  sealed_secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

`,
};
