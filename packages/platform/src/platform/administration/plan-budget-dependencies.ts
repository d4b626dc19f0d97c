import type { AuditLog } from '../../identity/audit/index.ts';
import type { BudgetDirectory, WebhookUrlPolicy } from '../../metering/budgets/index.ts';
import type { BudgetCounter, BudgetLevel } from '../../metering/limits/index.ts';
import type { PlanDirectory } from '../../metering/plans/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import type { KeyAuthenticator } from '../../tenancy/index.ts';

/** Why an organisation's keys were invalidated. */
export interface OrganizationLimitsChange {
  organizationId: string;
  reason: 'plan' | 'rate-limits';
  /** Secret hashes of the affected live keys. */
  secretHashes: readonly string[];
}

/** What the plan, budget, rate-limit and webhook services work on (the platform provides all of it). */
export interface PlanAndBudgetDependencies {
  database: Database;
  clock: Clock;
  /** Every change writes its entry here, in the change's transaction. */
  audit: AuditLog;
  /** Seals webhook secrets; null when no master key is configured (then webhooks cannot be set). */
  secretBox: SecretBox | null;
  /** Told the keys of an organisation whose plan or limits changed, so every instance reloads them at once. */
  authenticator: Pick<KeyAuthenticator, 'announceChange'>;
  webhookUrls: WebhookUrlPolicy;
  /** Reloaded after plans change. */
  plans?: Pick<PlanDirectory, 'announceChange'>;
  /** Told which organisation's budgets (or, with '*', every one's) changed. */
  budgets?: Pick<BudgetDirectory, 'announceChange'>;
  /** Live levels of budgets (SpendLedger.levels); without it responses show the durable ledger. */
  budgetLevels?: (budgets: readonly BudgetCounter[]) => Promise<BudgetLevel[]>;
  /** Runs after the key cache was told, for any other cache that holds plans or limits. */
  onOrganizationLimitsChanged?: (change: OrganizationLimitsChange) => Promise<void>;
}

/** Invalidates the keys of an organisation whose plan or limits changed, here and on every instance. */
export async function announceLimitsChange(
  context: PlanAndBudgetDependencies,
  change: OrganizationLimitsChange,
): Promise<void> {
  await context.authenticator.announceChange(change.secretHashes);
  await context.onOrganizationLimitsChanged?.(change);
}
