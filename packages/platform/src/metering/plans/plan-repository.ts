import type { Queryable } from '../../storage/db/index.ts';
import { isBuiltInPlanId } from './built-in-plans.ts';
import { type PlanFields, resolvePlanDefinition } from './plan-fields-schema.ts';
import type { Plan, PlanDefinition, PlanSource } from './plan-types.ts';
import { trimDecimal } from './usd-amount.ts';

interface PlanRow {
  id: string;
  name: string;
  source: PlanSource;
  monthly_price_usd: string | null;
  monthly_request_quota: number | null;
  allowed_models: string[] | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  concurrent_requests: number | null;
  monthly_budget_usd: string | null;
  max_agents_per_run: number | null;
  knowledge_max_file_bytes: number | null;
  knowledge_max_documents: number | null;
  knowledge_max_chunks: number | null;
  rank: number;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'p.id, p.name, p.source, p.monthly_price_usd, p.monthly_request_quota, p.allowed_models, p.requests_per_minute, p.tokens_per_minute, p.concurrent_requests, p.monthly_budget_usd, p.max_agents_per_run, p.knowledge_max_file_bytes, p.knowledge_max_documents, p.knowledge_max_chunks, p.rank, p.created_at, p.updated_at';

function toPlan(row: PlanRow): Plan {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    rank: row.rank,
    monthlyPriceUsd: row.monthly_price_usd === null ? null : trimDecimal(row.monthly_price_usd),
    monthlyRequestQuota: row.monthly_request_quota,
    allowedModels: row.allowed_models,
    rateLimits: {
      requestsPerMinute: row.requests_per_minute,
      tokensPerMinute: row.tokens_per_minute,
      concurrentRequests: row.concurrent_requests,
    },
    monthlyBudgetUsd: row.monthly_budget_usd === null ? null : trimDecimal(row.monthly_budget_usd),
    maxAgentsPerRun: row.max_agents_per_run,
    knowledgeMaxFileBytes: row.knowledge_max_file_bytes,
    knowledgeMaxDocuments: row.knowledge_max_documents,
    knowledgeMaxChunks: row.knowledge_max_chunks,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The definition part of a plan, for comparing what is stored with what should be. */
export function definitionOf(plan: PlanDefinition): PlanDefinition {
  return {
    id: plan.id,
    name: plan.name,
    rank: plan.rank,
    monthlyPriceUsd: plan.monthlyPriceUsd,
    monthlyRequestQuota: plan.monthlyRequestQuota,
    allowedModels: plan.allowedModels,
    rateLimits: { ...plan.rateLimits },
    monthlyBudgetUsd: plan.monthlyBudgetUsd,
    maxAgentsPerRun: plan.maxAgentsPerRun,
    knowledgeMaxFileBytes: plan.knowledgeMaxFileBytes,
    knowledgeMaxDocuments: plan.knowledgeMaxDocuments,
    knowledgeMaxChunks: plan.knowledgeMaxChunks,
  };
}

/** Inserts or replaces a plan's definition and records where it came from. */
export async function writePlan(
  database: Queryable,
  plan: PlanDefinition,
  source: PlanSource,
): Promise<Plan> {
  const result = await database.query<PlanRow>(
    `INSERT INTO plans AS p (id, name, source, monthly_price_usd, monthly_request_quota, allowed_models,
                             requests_per_minute, tokens_per_minute, concurrent_requests, monthly_budget_usd, rank,
                             max_agents_per_run, knowledge_max_file_bytes, knowledge_max_documents, knowledge_max_chunks)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (id) DO UPDATE SET
       name = excluded.name, source = excluded.source, monthly_price_usd = excluded.monthly_price_usd,
       monthly_request_quota = excluded.monthly_request_quota, allowed_models = excluded.allowed_models,
       requests_per_minute = excluded.requests_per_minute, tokens_per_minute = excluded.tokens_per_minute,
       concurrent_requests = excluded.concurrent_requests, monthly_budget_usd = excluded.monthly_budget_usd,
       rank = excluded.rank, max_agents_per_run = excluded.max_agents_per_run,
       knowledge_max_file_bytes = excluded.knowledge_max_file_bytes,
       knowledge_max_documents = excluded.knowledge_max_documents,
       knowledge_max_chunks = excluded.knowledge_max_chunks, updated_at = now()
     RETURNING ${columns}`,
    [
      plan.id,
      plan.name,
      source,
      plan.monthlyPriceUsd,
      plan.monthlyRequestQuota,
      plan.allowedModels === null ? null : [...plan.allowedModels],
      plan.rateLimits.requestsPerMinute,
      plan.rateLimits.tokensPerMinute,
      plan.rateLimits.concurrentRequests,
      plan.monthlyBudgetUsd,
      plan.rank,
      plan.maxAgentsPerRun,
      plan.knowledgeMaxFileBytes,
      plan.knowledgeMaxDocuments,
      plan.knowledgeMaxChunks,
    ],
  );
  return toPlan(result.rows[0]!);
}

/** Every plan, cheapest rank first. */
export async function listPlans(database: Queryable): Promise<Plan[]> {
  const result = await database.query<PlanRow>(`SELECT ${columns} FROM plans p ORDER BY p.rank, p.id`);
  return result.rows.map(toPlan);
}

/** One plan by id, or null. */
export async function findPlan(database: Queryable, id: string): Promise<Plan | null> {
  const result = await database.query<PlanRow>(`SELECT ${columns} FROM plans p WHERE p.id = $1`, [id]);
  return result.rows[0] ? toPlan(result.rows[0]) : null;
}

/**
 * Creates or updates a plan through the admin API (source 'api', which start-up seeding then
 * leaves alone). Absent fields keep their stored values. Run it in a transaction (the caller's, so
 * its audit entry commits with it): the row lock keeps concurrent writes from losing fields.
 */
export async function putPlan(
  transaction: Queryable,
  id: string,
  fields: PlanFields,
): Promise<{ plan: Plan; previous: Plan | null; created: boolean }> {
  const existing = await transaction.query<PlanRow>(
    `SELECT ${columns} FROM plans p WHERE p.id = $1 FOR UPDATE`,
    [id],
  );
  const base = existing.rows[0] ? toPlan(existing.rows[0]) : undefined;
  const plan = await writePlan(transaction, resolvePlanDefinition(id, fields, base), 'api');
  return { plan, previous: base ?? null, created: base === undefined };
}

/** What deletePlan did, or why it refused. */
export type DeletePlanOutcome =
  | { deleted: true; plan: Plan }
  | { deleted: false; reason: 'not-found' }
  | { deleted: false; reason: 'built-in' }
  | { deleted: false; reason: 'in-use'; organizations: number };

/**
 * Deletes a plan no organisation is on. Run it in a transaction (the caller's): the row lock orders
 * this against a concurrent assignment (which takes a share lock on the plan), so no organisation
 * is left on a deleted plan.
 */
export async function deletePlan(transaction: Queryable, id: string): Promise<DeletePlanOutcome> {
  if (isBuiltInPlanId(id)) return { deleted: false, reason: 'built-in' };
  const locked = await transaction.query<PlanRow>(
    `SELECT ${columns} FROM plans p WHERE p.id = $1 FOR UPDATE`,
    [id],
  );
  if (!locked.rows[0]) return { deleted: false, reason: 'not-found' };
  const users = await transaction.query<{ count: number }>(
    'SELECT count(*)::int8 AS count FROM organizations WHERE plan_id = $1',
    [id],
  );
  const organizations = users.rows[0]?.count ?? 0;
  if (organizations > 0) return { deleted: false, reason: 'in-use', organizations };
  await transaction.query('DELETE FROM plans WHERE id = $1', [id]);
  return { deleted: true, plan: toPlan(locked.rows[0]) };
}

/** The plan an organisation is on, or null (no plan: no plan limits apply). */
export async function planForOrganization(database: Queryable, organizationId: string): Promise<Plan | null> {
  const result = await database.query<PlanRow>(
    `SELECT ${columns} FROM organizations o JOIN plans p ON p.id = o.plan_id WHERE o.id = $1`,
    [organizationId],
  );
  return result.rows[0] ? toPlan(result.rows[0]) : null;
}

/** What setOrganizationPlan did, or why it could not. */
export type SetOrganizationPlanOutcome =
  | { changed: true; plan: Plan | null; previousPlanId: string | null; secretHashes: string[] }
  | { changed: false; reason: 'organization-not-found' | 'plan-not-found' };

/**
 * Puts an organisation on a plan (null: none). Run it in a transaction (the caller's): its keys'
 * `updated_at` is touched in it, so every replica's key cache drops them on its next poll even
 * without pub/sub; the returned secret hashes let the caller invalidate at once.
 */
export async function setOrganizationPlan(
  transaction: Queryable,
  organizationId: string,
  planId: string | null,
): Promise<SetOrganizationPlanOutcome> {
  let plan: Plan | null = null;
  if (planId !== null) {
    const found = await transaction.query<PlanRow>(
      `SELECT ${columns} FROM plans p WHERE p.id = $1 FOR SHARE`,
      [planId],
    );
    if (!found.rows[0]) return { changed: false, reason: 'plan-not-found' };
    plan = toPlan(found.rows[0]);
  }
  const previous = await transaction.query<{ plan_id: string | null }>(
    'SELECT plan_id FROM organizations WHERE id = $1 FOR UPDATE',
    [organizationId],
  );
  if (!previous.rows[0]) return { changed: false, reason: 'organization-not-found' };
  await transaction.query('UPDATE organizations SET plan_id = $2, updated_at = now() WHERE id = $1', [
    organizationId,
    planId,
  ]);
  const keys = await transaction.query<{ secret_hash: string }>(
    `UPDATE api_keys SET updated_at = now() WHERE organization_id = $1 AND revoked_at IS NULL
     RETURNING secret_hash`,
    [organizationId],
  );
  return {
    changed: true,
    plan,
    previousPlanId: previous.rows[0].plan_id,
    secretHashes: keys.rows.map((row) => row.secret_hash),
  };
}

/** An organisation's plan id; undefined when there is no such organisation. */
export async function organizationPlanId(
  database: Queryable,
  organizationId: string,
): Promise<string | null | undefined> {
  const result = await database.query<{ plan_id: string | null }>(
    'SELECT plan_id FROM organizations WHERE id = $1',
    [organizationId],
  );
  return result.rows[0] ? result.rows[0].plan_id : undefined;
}

/** A value that changes whenever any plan is added, changed or deleted (plans are few). */
export async function plansFingerprint(database: Queryable): Promise<string> {
  const result = await database.query<{ fingerprint: string | null }>(
    `SELECT md5(string_agg(id || '@' || updated_at::text, ',' ORDER BY id)) AS fingerprint FROM plans`,
  );
  return result.rows[0]?.fingerprint ?? 'none';
}
