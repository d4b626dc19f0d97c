import { errors } from '../../errors/index.ts';
import { attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import { everyOrganization } from '../../metering/budgets/index.ts';
import {
  calendarMonthOf,
  deletePlan,
  findPlan,
  listPlans,
  monthlyRequestsUsed,
  type Plan,
  type PlanFields,
  planErrors,
  planForOrganization,
  putPlan,
  setOrganizationPlan,
} from '../../metering/plans/index.ts';
import { type AuthContext, findOrganization, type Organization } from '../../tenancy/index.ts';
import { planSummary } from './audit-summaries.ts';
import { announceLimitsChange, type PlanAndBudgetDependencies } from './plan-budget-dependencies.ts';

/** An organisation's plan with this month's usage of its quota. */
export interface OrganizationPlanView {
  organizationId: string;
  plan: Plan | null;
  monthlyRequestsUsed: number;
  quotaPeriod: { start: Date; resetsAt: Date };
}

export interface PlanServices {
  /** Every plan; any administrator. */
  list(caller: AuthContext): Promise<Plan[]>;
  get(caller: AuthContext, planId: string): Promise<Plan>;
  /** Creates or changes a plan (platform admin); every instance reloads plans at once. */
  put(caller: AuthContext, planId: string, fields: PlanFields): Promise<{ plan: Plan; created: boolean }>;
  /** Deletes a plan no organisation is on (platform admin); built-in plans stay. */
  delete(caller: AuthContext, planId: string): Promise<void>;
  organizationPlan(caller: AuthContext, organizationId: string): Promise<OrganizationPlanView>;
  /** Moves an organisation to a plan (or none), effective at once on every instance (platform admin). */
  setOrganizationPlan(
    caller: AuthContext,
    organizationId: string,
    planId: string | null,
  ): Promise<{ organization: Organization; plan: Plan | null }>;
}

export function createPlanServices(dependencies: PlanAndBudgetDependencies): PlanServices {
  const { audit } = dependencies;
  const plansChanged = async () => {
    await dependencies.plans?.announceChange();
    // why: a plan's monthly budget is every one of its organisations' implicit budget.
    await dependencies.budgets?.announceChange(everyOrganization);
  };

  return {
    async list(caller) {
      requirePermission(caller, 'admin:organization', undefined, 'list plans');
      const database = dependencies.database.forPlatform('list plans');
      return listPlans(database);
    },
    async get(caller, planId) {
      requirePermission(caller, 'admin:organization', undefined, 'read plans');
      const database = dependencies.database.forPlatform('read plans');
      const plan = await findPlan(database, planId);
      if (!plan) throw errors.notFound(`Plan '${planId}'`, 'planId');
      return plan;
    },
    async put(caller, planId, fields) {
      requirePermission(caller, 'platform:plans', undefined, 'create or change plans');
      const database = dependencies.database.forPlatform('create or change plans');
      const outcome = await database.transaction(async (transaction) => {
        const written = await putPlan(transaction, planId, fields);
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId: null,
          action: written.created ? 'plan.created' : 'plan.updated',
          target: { type: 'plan', id: planId },
          before: written.previous ? planSummary(written.previous) : null,
          after: planSummary(written.plan),
        });
        return written;
      });
      await plansChanged();
      return { plan: outcome.plan, created: outcome.created };
    },
    async delete(caller, planId) {
      requirePermission(caller, 'platform:plans', undefined, 'delete plans');
      const database = dependencies.database.forPlatform('delete plans');
      const outcome = await database.transaction(async (transaction) => {
        const deleted = await deletePlan(transaction, planId);
        if (deleted.deleted) {
          await audit.record(transaction, {
            ...attributionOf(caller),
            organizationId: null,
            action: 'plan.deleted',
            target: { type: 'plan', id: planId },
            before: planSummary(deleted.plan),
            after: null,
          });
        }
        return deleted;
      });
      if (!outcome.deleted) {
        if (outcome.reason === 'not-found') throw errors.notFound(`Plan '${planId}'`, 'planId');
        if (outcome.reason === 'built-in') throw planErrors.builtInPlan(planId);
        throw planErrors.planInUse(planId, outcome.organizations);
      }
      await plansChanged();
    },
    async organizationPlan(caller, organizationId) {
      requirePermission(caller, 'admin:organization', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      if (!(await findOrganization(database, organizationId))) {
        throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      }
      const now = dependencies.clock.now();
      const month = calendarMonthOf(now);
      return {
        organizationId,
        plan: await planForOrganization(database, organizationId),
        monthlyRequestsUsed: await monthlyRequestsUsed(database, organizationId, now),
        quotaPeriod: { start: month.start, resetsAt: month.end },
      };
    },
    async setOrganizationPlan(caller, organizationId, planId) {
      requirePermission(caller, 'platform:plans', undefined, "change an organization's plan");
      const database = dependencies.database.forOrganization(organizationId);
      const outcome = await database.transaction(async (transaction) => {
        const changed = await setOrganizationPlan(transaction, organizationId, planId);
        if (changed.changed) {
          await audit.record(transaction, {
            ...attributionOf(caller),
            organizationId,
            action: 'organization.plan_changed',
            target: { type: 'organization', id: organizationId },
            before: { plan_id: changed.previousPlanId },
            after: { plan_id: planId },
          });
        }
        return changed;
      });
      if (!outcome.changed) {
        if (outcome.reason === 'organization-not-found') {
          throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
        }
        const known = (await listPlans(database)).map((plan) => plan.id);
        throw planErrors.unknownPlan(planId ?? '', known);
      }
      await dependencies.budgets?.announceChange(organizationId);
      await announceLimitsChange(dependencies, {
        organizationId,
        reason: 'plan',
        secretHashes: outcome.secretHashes,
      });
      const organization = await findOrganization(database, organizationId);
      if (!organization) throw errors.notFound(`Organization '${organizationId}'`, 'organizationId');
      return { organization, plan: outcome.plan };
    },
  };
}
