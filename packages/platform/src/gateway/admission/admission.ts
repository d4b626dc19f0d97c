import { errors, isPlatformError } from '../../errors/index.ts';
import {
  type BudgetAlertChecker,
  type BudgetDirectory,
  isPlanBudgetId,
} from '../../metering/budgets/index.ts';
import type { PriceTable } from '../../metering/index.ts';
import type {
  ConcurrencyRule,
  RateLimiter,
  RateLimitRule,
  SpendLedger,
} from '../../metering/limits/index.ts';
import type { Plan, PlanDirectory } from '../../metering/plans/index.ts';
import type { Clock } from '../../support/index.ts';
import type { Metrics } from '../../telemetry/index.ts';
import type { MeteredCharge } from '../usage-meter.ts';
import type { Admission, AdmissionRequest, Admitted } from './admission-types.ts';
import type { BudgetReconciler } from './budget-reconciler.ts';
import { budgetRefusal, concurrencyRefusal, quotaRefusal, rateRefusal } from './limit-refusals.ts';
import { limitRulesFor } from './limit-rules.ts';
import { maximumCostPicoUsd, picoToNanoUsdRoundedUp, reachableCandidates } from './maximum-cost.ts';
import type { MonthlyQuota } from './monthly-quota.ts';
import { restrictToPlan } from './plan-restriction.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';

const noHeaders: Readonly<Record<string, string>> = Object.freeze({});

export interface AdmissionSettings {
  reservationTtlMs: number;
  concurrencyLeaseMs: number;
  maxPendingOperations: number;
}

export interface AdmissionDependencies {
  plans: Pick<PlanDirectory, 'get' | 'list'>;
  budgets: Pick<BudgetDirectory, 'budgetsForRequest'>;
  spendLedger: SpendLedger;
  rateLimiter: RateLimiter;
  quota: MonthlyQuota;
  reconciler: BudgetReconciler;
  alerts: BudgetAlertChecker | null;
  prices: () => PriceTable;
  clock: Clock;
  settings: () => AdmissionSettings;
  metrics: Metrics;
  onError: (error: unknown, operation: string) => void;
}

/** Undoes one hold taken before a later step refused. */
type Undo = () => Promise<void>;

/**
 * The tenant-limits step: plan (allowed models), monthly quota, rate limits (RPM/TPM),
 * concurrency, then the budget reservation — each an atomic store operation that holds across
 * replicas. Every hold is taken or none: when a step refuses, the ones before it are given back.
 * A store that cannot be reached refuses the request (503): money is not spent unchecked.
 */
export function createAdmission(dependencies: AdmissionDependencies): Admission {
  const { metrics, clock } = dependencies;
  let pending = 0;

  function planOf(request: AdmissionRequest): Plan | null {
    return request.context.plan === null ? null : (dependencies.plans.get(request.context.plan) ?? null);
  }

  /** Runs a store operation; a failure becomes a 503 that names the limits store. */
  async function store<Result>(operation: string, run: () => Promise<Result>): Promise<Result> {
    try {
      return await run();
    } catch (error) {
      if (isPlatformError(error)) throw error;
      metrics.admissionErrors.inc({ operation });
      dependencies.onError(error, operation);
      throw errors.unavailable(
        'Budgets and rate limits cannot be checked right now, so the request was not sent.',
        'Retry in a few seconds; operators: check the limits store (Redis or the database).',
      );
    }
  }

  /**
   * Takes the holds one by one, recording what each undoes in `undo`; `checked.limitHeaders` is
   * filled as soon as the rate limits were checked, so a later refusal still carries them.
   */
  async function takeHolds(
    request: AdmissionRequest,
    plan: Plan | null,
    undo: Undo[],
    checked: { limitHeaders: Readonly<Record<string, string>> },
  ) {
    const settings = dependencies.settings();
    const { context } = request;
    const now = clock.now();

    let quotaMonth: string | null = null;
    if (plan?.monthlyRequestQuota != null) {
      const quota = plan.monthlyRequestQuota;
      const taken = await store('quota', () => dependencies.quota.take(context.organizationId, quota, now));
      if (!taken.ok) throw quotaRefusal(plan, quota, taken.resetsAt, now, dependencies.plans.list());
      quotaMonth = taken.monthKey;
      undo.push(() => dependencies.quota.giveBack(context.organizationId, taken.monthKey));
    }

    const rules = limitRulesFor(context, plan, request.quote.estimatedTokens);
    let rates: RateLimitRule[] = [];
    let slots: ConcurrencyRule[] = [];
    if (rules.rates.length > 0 || rules.slots.length > 0) {
      // One store operation for both: every rate rule charged and every slot taken, or nothing.
      const taken = await store('rate-limit', () =>
        dependencies.rateLimiter.take(
          rules.rates,
          rules.slots,
          request.requestId,
          settings.concurrencyLeaseMs,
        ),
      );
      if (rules.rates.length > 0) checked.limitHeaders = rateLimitHeaders(taken.rates.states);
      if (!taken.rates.allowed) {
        throw rateRefusal(taken.rates.refused, taken.rates.retryAfterMs, plan, dependencies.plans.list());
      }
      if (taken.refusedSlot) throw concurrencyRefusal(taken.refusedSlot, plan, dependencies.plans.list());
      rates = rules.rates;
      slots = rules.slots;
      undo.push(() =>
        dependencies.rateLimiter.giveBack(
          rates.map((rule) => ({ rule, delta: -rule.cost })),
          slots,
          request.requestId,
        ),
      );
    }

    const budgets = await store('budgets', () =>
      dependencies.budgets.budgetsForRequest(
        {
          organizationId: context.organizationId,
          apiKeyId: context.apiKeyId,
          teamId: context.teamId,
          endUser: request.endUser,
        },
        now,
      ),
    );
    let reserved = false;
    if (budgets.length > 0) {
      const subject = {
        organizationId: context.organizationId,
        apiKeyId: context.apiKeyId,
        teamId: context.teamId,
        endUser: request.endUser,
      };
      await store('reconcile', () => dependencies.reconciler.reconcile(budgets, subject));
      const maximum = maximumCostPicoUsd(
        reachableCandidates(request.quote),
        dependencies.prices(),
        request.promptTokens(),
        request.completionTokens,
      );
      const amountNanoUsd = picoToNanoUsdRoundedUp(maximum);
      const outcome = await store('reserve', () =>
        dependencies.spendLedger.reserve({
          reservationId: request.requestId,
          budgets,
          amountNanoUsd,
          ttlMs: settings.reservationTtlMs,
        }),
      );
      if (!outcome.ok) throw budgetRefusal(outcome, amountNanoUsd, plan, dependencies.plans.list(), now);
      reserved = true;
    }
    return { rates, slots, reserved, quotaMonth };
  }

  return {
    async admit(request) {
      const plan = planOf(request);
      let quote = request.quote;
      try {
        if (plan) quote = restrictToPlan(quote, plan, request.modelName, dependencies.plans.list());
      } catch (error) {
        metrics.admissionRefusals.inc({ reason: 'plan_model' });
        throw error;
      }
      if (pending >= dependencies.settings().maxPendingOperations) {
        metrics.admissionRefusals.inc({ reason: 'overloaded' });
        throw errors.unavailable(
          'Too many requests are waiting for their limits and budgets to be checked.',
          'Retry in a second; the limits store is slower than the traffic.',
        );
      }
      pending += 1;
      metrics.admissionPending.set(pending);
      const undo: Undo[] = [];
      const checked: { limitHeaders: Readonly<Record<string, string>> } = { limitHeaders: noHeaders };
      let holds: Awaited<ReturnType<typeof takeHolds>>;
      try {
        holds = await takeHolds({ ...request, quote }, plan, undo, checked);
      } catch (error) {
        if (isPlatformError(error)) {
          error.headers = checked.limitHeaders;
          if (error.status !== 503) metrics.admissionRefusals.inc({ reason: error.code.toLowerCase() });
        }
        for (const step of undo.reverse()) {
          await step().catch((undoError: unknown) => dependencies.onError(undoError, 'undo'));
        }
        throw error;
      } finally {
        pending -= 1;
        metrics.admissionPending.set(pending);
      }
      const admitted: Admitted = {
        quote,
        limitHeaders: checked.limitHeaders,
        async finish(charge: MeteredCharge | null) {
          await settle(request, holds, charge);
        },
      };
      return admitted;
    },
  };

  async function settle(
    request: AdmissionRequest,
    holds: Awaited<ReturnType<typeof takeHolds>>,
    charge: MeteredCharge | null,
  ): Promise<void> {
    const attempt = async (operation: string, run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        metrics.admissionErrors.inc({ operation });
        dependencies.onError(error, operation);
      }
    };
    if (holds.reserved) {
      await attempt('settle', async () => {
        if (charge === null) {
          await dependencies.spendLedger.release(request.requestId);
          return;
        }
        const levels = await dependencies.spendLedger.settle(
          request.requestId,
          picoToNanoUsdRoundedUp(charge.costPicoUsd),
        );
        for (const level of levels) {
          // why: plan budgets are implicit, one per organisation; only configured budgets get a series.
          if (level.limitNanoUsd > 0 && !isPlanBudgetId(level.budgetId)) {
            metrics.budgetUtilization.observe(level.budgetId, level.spentNanoUsd / level.limitNanoUsd);
          }
        }
        if (dependencies.alerts && levels.length > 0) await dependencies.alerts.check(levels);
      });
    }
    // Token estimates corrected to the metered tokens, and the slots given back, in one operation.
    const adjustments = holds.rates
      .filter((rule) => rule.kind === 'tokens')
      .map((rule) => ({ rule, delta: (charge?.totalTokens ?? 0) - rule.cost }))
      .filter((adjustment) => adjustment.delta !== 0);
    if (adjustments.length > 0 || holds.slots.length > 0) {
      await attempt('release-limits', () =>
        dependencies.rateLimiter.giveBack(adjustments, holds.slots, request.requestId),
      );
    }
    const month = holds.quotaMonth;
    if (month !== null && !charge?.countsAsRequest) {
      await attempt('quota-give-back', () =>
        dependencies.quota.giveBack(request.context.organizationId, month),
      );
    }
  }
}
