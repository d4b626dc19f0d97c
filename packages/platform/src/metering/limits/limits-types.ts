/**
 * The contracts of budgets and rate limits. Amounts are integer nano-USD (10⁻⁹ USD): exact, and
 * within the 2⁵³ that Redis's Lua numbers hold for budgets up to $9,007,199. Reservations round
 * up to the next nano-USD, so a limit is never exceeded by rounding.
 */

export type BudgetScope = 'organization' | 'api_key' | 'end_user' | 'team';
export type BudgetPeriod = 'day' | 'month' | 'total';

/** One budget as the hot path sees it: which counter, its limit, and which period is current. */
export interface BudgetCounter {
  budgetId: string;
  scope: BudgetScope;
  limitNanoUsd: number;
  /** Identifies the current period ('2026-11-24', '2026-11' or 'total'): a new key starts from zero. */
  periodKey: string;
  /** When the current period ends (epoch ms); null for 'total'. */
  resetsAt: number | null;
}

export interface ReservationRequest {
  /** Unique per request: settling and releasing name it. */
  reservationId: string;
  budgets: readonly BudgetCounter[];
  amountNanoUsd: number;
  /** After this a reservation that was never settled (a crashed request) stops counting. */
  ttlMs: number;
}

export type ReservationOutcome =
  | { ok: true }
  | {
      ok: false;
      /** The first budget that had no room. */
      budget: BudgetCounter;
      spentNanoUsd: number;
      reservedNanoUsd: number;
    };

export interface BudgetLevel {
  budgetId: string;
  periodKey: string;
  spentNanoUsd: number;
  reservedNanoUsd: number;
  limitNanoUsd: number;
}

/**
 * The live budget counters. Reserve is ONE atomic operation over every applicable budget (all or
 * nothing), so concurrent requests and replicas cannot overspend.
 */
export interface SpendLedger {
  reserve(request: ReservationRequest): Promise<ReservationOutcome>;
  /** Replaces the reservation by the real cost; returns the budgets' new levels (for alerts). */
  settle(reservationId: string, actualNanoUsd: number): Promise<BudgetLevel[]>;
  /** Drops a reservation without spending (the call failed before any cost). */
  release(reservationId: string): Promise<void>;
  levels(budgets: readonly BudgetCounter[]): Promise<BudgetLevel[]>;
  /** Reconciliation: raises a counter to at least `spentNanoUsd` (the stricter value wins). */
  raiseSpent(budget: BudgetCounter, spentNanoUsd: number): Promise<void>;
  close(): Promise<void>;
}

/** Whose rate limit a rule is: the organisation's (or its plan's), a team's or a key's. */
export type RateLimitScope = 'organization' | 'team' | 'api_key';

/** One limit to check: `cost` units (1 request, or N tokens) against `limit` per `windowMs`. */
export interface RateLimitRule {
  /** e.g. 'organization:org_1:requests' */
  key: string;
  /** Which limit, for headers and refusals. */
  kind: 'requests' | 'tokens';
  scope: RateLimitScope;
  limit: number;
  windowMs: number;
  cost: number;
}

export interface RateLimitState {
  rule: RateLimitRule;
  remaining: number;
  /** Until the window has room for `cost` again (0 when it has now). */
  resetMs: number;
  /** Until the window is back to its whole limit: the newest charge has left it (0 when empty). */
  fullResetMs: number;
}

export type RateLimitDecision =
  | { allowed: true; states: RateLimitState[] }
  | { allowed: false; refused: RateLimitState; states: RateLimitState[]; retryAfterMs: number };

export interface ConcurrencyRule {
  key: string;
  scope: RateLimitScope;
  limit: number;
}

/** What `take` did: the rate decision, and the full slot rule when only slots refused. */
export interface LimitsTake {
  rates: RateLimitDecision;
  /** Set when every rate rule had room but this slot rule was full; then nothing was taken. */
  refusedSlot: ConcurrencyRule | null;
}

/** A correction of one rule once usage is known (see `adjust`). */
export interface RateAdjustment {
  rule: RateLimitRule;
  delta: number;
}

/**
 * Exact rate limits (sliding window or GCRA) and concurrency slots. `check` is all-or-nothing and
 * atomic across every rule; concurrency slots are leases that expire if a request dies.
 */
export interface RateLimiter {
  check(rules: readonly RateLimitRule[]): Promise<RateLimitDecision>;
  /** Returns tokens estimated but not used (or charges the excess) once usage is known. */
  adjust(rule: RateLimitRule, delta: number): Promise<void>;
  acquireSlots(
    rules: readonly ConcurrencyRule[],
    leaseId: string,
    leaseMs: number,
  ): Promise<{ acquired: true } | { acquired: false; refused: ConcurrencyRule }>;
  releaseSlots(rules: readonly ConcurrencyRule[], leaseId: string): Promise<void>;
  /**
   * `check` and `acquireSlots` as one atomic step (one store round trip): every rate rule is
   * charged and every slot taken, or nothing is. Slots are looked at only when the rates have room.
   */
  take(
    rates: readonly RateLimitRule[],
    slots: readonly ConcurrencyRule[],
    leaseId: string,
    leaseMs: number,
  ): Promise<LimitsTake>;
  /** `adjust` for each adjustment and `releaseSlots`, as one step. */
  giveBack(
    adjustments: readonly RateAdjustment[],
    slots: readonly ConcurrencyRule[],
    leaseId: string,
  ): Promise<void>;
  close(): Promise<void>;
}
