import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { hasPermission, requirePermission } from '../../identity/index.ts';
import {
  type Budget,
  type BudgetAlert,
  type BudgetPeriodWindow,
  createBudget,
  currentPeriod,
  deleteBudget,
  findBudget,
  ledgerLevelOf,
  listBudgetAlerts,
  listBudgets,
  toBudgetCounter,
  updateBudget,
} from '../../metering/budgets/index.ts';
import type { BudgetPeriod, BudgetScope } from '../../metering/limits/index.ts';
import {
  describeUpgrade,
  listPlans,
  nanoUsdToUsd,
  planForOrganization,
  suggestUpgrade,
  usdToNanoUsd,
} from '../../metering/plans/index.ts';
import { type AuthContext, findOrganization } from '../../tenancy/index.ts';
import type { PageRequest } from './administration-dependencies.ts';
import { budgetSummary } from './audit-summaries.ts';
import type { PlanAndBudgetDependencies } from './plan-budget-dependencies.ts';

/** A budget with its current period and what that period has spent and holds. */
export interface BudgetView {
  budget: Budget;
  window: BudgetPeriodWindow;
  spentUsd: string;
  reservedUsd: string;
}

export interface NewBudgetRequest {
  scope: BudgetScope;
  /** The key id or end user; the organisation itself for an organisation budget. */
  subject?: string;
  limitUsd: string;
  period: BudgetPeriod;
  alertThresholds?: number[];
}

export interface BudgetChange {
  limitUsd?: string;
  period?: BudgetPeriod;
  alertThresholds?: number[];
}

export interface BudgetServices {
  create(caller: AuthContext, organizationId: string, request: NewBudgetRequest): Promise<BudgetView>;
  list(
    caller: AuthContext,
    organizationId: string,
    page: PageRequest & { scope?: BudgetScope },
  ): Promise<BudgetView[]>;
  get(caller: AuthContext, organizationId: string, budgetId: string): Promise<BudgetView>;
  update(
    caller: AuthContext,
    organizationId: string,
    budgetId: string,
    change: BudgetChange,
  ): Promise<BudgetView>;
  delete(caller: AuthContext, organizationId: string, budgetId: string): Promise<void>;
  /** The alerts the organisation's budgets raised, newest first. */
  alerts(
    caller: AuthContext,
    organizationId: string,
    query: { limit: number; budgetId?: string },
  ): Promise<BudgetAlert[]>;
}

/**
 * Budgets of an organisation (its admin manages them). An organisation admin cannot lift its plan's
 * spend cap: while the plan sets a monthly budget, an organisation-scope budget it writes must be no
 * looser (month or total, at most the plan's amount).
 */
export function createBudgetServices(dependencies: PlanAndBudgetDependencies): BudgetServices {
  const { clock, audit } = dependencies;

  async function present(budgets: readonly Budget[]): Promise<BudgetView[]> {
    const now = clock.now();
    const live = dependencies.budgetLevels
      ? await dependencies.budgetLevels(budgets.map((budget) => toBudgetCounter(budget, now)))
      : [];
    return budgets.map((budget) => {
      const window = currentPeriod(budget.period, now);
      const level = live.find(
        (entry) => entry.budgetId === budget.id && entry.periodKey === window.periodKey,
      );
      const current = level
        ? {
            spentUsd: nanoUsdToUsd(BigInt(Math.floor(level.spentNanoUsd))),
            reservedUsd: nanoUsdToUsd(BigInt(Math.floor(level.reservedNanoUsd))),
          }
        : ledgerLevelOf(budget, now);
      return { budget, window, ...current };
    });
  }

  async function presentOne(budget: Budget): Promise<BudgetView> {
    const [view] = await present([budget]);
    return view!;
  }

  async function assertWithinPlanBudget(
    caller: AuthContext,
    organizationId: string,
    budget: { scope: string; period: BudgetPeriod; limitUsd: string },
  ): Promise<void> {
    if (hasPermission(caller, 'platform:plans') || budget.scope !== 'organization') return;
    const database = dependencies.database.forOrganization(organizationId);
    const plan = await planForOrganization(database, organizationId);
    if (!plan?.monthlyBudgetUsd) return;
    const planLimit = usdToNanoUsd(plan.monthlyBudgetUsd);
    if (budget.period !== 'day' && usdToNanoUsd(budget.limitUsd) <= planLimit) return;
    const upgrade = suggestUpgrade(plan, { budgetUsd: Number(budget.limitUsd) }, await listPlans(database));
    throw errors.invalidRequest(
      budget.period === 'day' ? 'period' : 'limit_usd',
      `The ${plan.name} plan caps this organization's spend at $${plan.monthlyBudgetUsd} per month; an organization budget set by an organization admin must be a 'month' or 'total' budget of at most that.`,
      `${describeUpgrade(plan, upgrade)} The platform admin can also set this budget.`,
    );
  }

  async function requireBudget(organizationId: string, budgetId: string): Promise<Budget> {
    const budget = await findBudget(
      dependencies.database.forOrganization(organizationId),
      organizationId,
      budgetId,
    );
    if (!budget) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
    return budget;
  }

  return {
    async create(caller, organizationId, request) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const subject = request.subject ?? (request.scope === 'organization' ? organizationId : undefined);
      if (subject === undefined)
        throw errors.invalidRequest('subject', "Missing required parameter: 'subject'.");
      if (!(await findOrganization(database, organizationId))) {
        throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      }
      await assertWithinPlanBudget(caller, organizationId, request);
      const budget = await database.transaction(async (transaction) => {
        const created = await createBudget(
          transaction,
          organizationId,
          {
            scope: request.scope,
            subject,
            limitUsd: request.limitUsd,
            period: request.period,
            ...(request.alertThresholds ? { alertThresholds: request.alertThresholds } : {}),
          },
          clock.now(),
        );
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'budget.created',
          target: { type: 'budget', id: created.id },
          before: null,
          after: budgetSummary(created),
        });
        return created;
      });
      await dependencies.budgets?.announceChange(organizationId);
      return presentOne(budget);
    },
    async list(caller, organizationId, page) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      return present(await listBudgets(database, organizationId, page));
    },
    async get(caller, organizationId, budgetId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      return presentOne(await requireBudget(organizationId, budgetId));
    },
    async update(caller, organizationId, budgetId, change) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      const existing = await requireBudget(organizationId, budgetId);
      if (change.limitUsd || change.period) {
        await assertWithinPlanBudget(caller, organizationId, {
          scope: existing.scope,
          period: change.period ?? existing.period,
          limitUsd: change.limitUsd ?? existing.limitUsd,
        });
      }
      const budget = await database.transaction(async (transaction) => {
        const before = await findBudget(transaction, organizationId, budgetId);
        const updated = await updateBudget(transaction, organizationId, budgetId, change, clock.now());
        if (!before || !updated) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'budget.updated',
          target: { type: 'budget', id: budgetId },
          before: budgetSummary(before),
          after: budgetSummary(updated),
        });
        return updated;
      });
      await dependencies.budgets?.announceChange(organizationId);
      return presentOne(budget);
    },
    async delete(caller, organizationId, budgetId) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      await database.transaction(async (transaction) => {
        const budget = await deleteBudget(transaction, organizationId, budgetId);
        if (!budget) throw errors.notFound(`Budget '${budgetId}'`, 'budgetId');
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'budget.deleted',
          target: { type: 'budget', id: budgetId },
          before: budgetSummary(budget),
          after: null,
        });
      });
      await dependencies.budgets?.announceChange(organizationId);
    },
    async alerts(caller, organizationId, query) {
      requirePermission(caller, 'admin:budgets', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      return listBudgetAlerts(database, organizationId, query);
    },
  };
}
