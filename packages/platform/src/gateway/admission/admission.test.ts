import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../errors/index.ts';
import { createPriceTable } from '../../metering/index.ts';
import {
  type BudgetCounter,
  createKeyValueRateLimiter,
  createKeyValueSpendLedger,
  type SpendLedger,
} from '../../metering/limits/index.ts';
import { createMemoryKeyValueStore } from '../../storage/kv/index.ts';
import { systemClock } from '../../support/index.ts';
import { createMetrics } from '../../telemetry/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import type { ChatQuote } from '../chat-gateway.ts';
import { createAdmission } from './admission.ts';
import { createRequestQuotaCounter } from './request-quota-counter.ts';

const context: AuthContext = {
  organizationId: 'org_slow',
  principal: 'api_key',
  apiKeyId: 'key_slow',
  keyName: 'slow',
  role: 'developer',
  scopes: null,
  userId: null,
  teamId: null,
  allowedModels: null,
  expiresAt: null,
  plan: null,
  organizationRateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
  keyRateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
  teamRateLimits: { requestsPerMinute: null, tokensPerMinute: null, concurrentRequests: null },
};

const budget: BudgetCounter = {
  budgetId: 'bud_slow',
  scope: 'organization',
  limitNanoUsd: 1_000_000_000,
  periodKey: 'total',
  resetsAt: null,
};

const quote = {
  routePlan: {
    requestedModel: 'sim/fast',
    group: 'sim/fast',
    strategy: 'weighted',
    candidates: [],
    contextWindowFallback: null,
    contentPolicyFallback: null,
    decision: null,
  },
  estimatedTokens: 10,
  expandGroup: () => [],
} satisfies ChatQuote;

/** A real ledger whose reservations wait until released: a store that has become slow. */
function slowLedger(inner: SpendLedger) {
  const waiting: Array<() => void> = [];
  const ledger: SpendLedger = {
    ...inner,
    async reserve(request) {
      await new Promise<void>((resolve) => waiting.push(resolve));
      return inner.reserve(request);
    },
  };
  const release = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { ledger, release, waiting };
}

describe('admission under a slow store', () => {
  it('bounds the requests waiting on the store: the rest get 503 at once, and the gauge shows the wait', async () => {
    const store = createMemoryKeyValueStore({ clock: systemClock });
    const metrics = createMetrics({ defaultMetrics: false });
    const slow = slowLedger(createKeyValueSpendLedger({ keyValueStore: store, clock: systemClock }));
    const admission = createAdmission({
      plans: { get: () => undefined, list: () => [] },
      budgets: { budgetsForRequest: async () => [budget] },
      spendLedger: slow.ledger,
      rateLimiter: createKeyValueRateLimiter({ keyValueStore: store, clock: systemClock }),
      quota: {
        take: async () => ({ ok: true, monthKey: '2026-11' }),
        giveBack: (organizationId, monthKey) =>
          createRequestQuotaCounter(store).giveBack(organizationId, monthKey),
      },
      reconciler: { reconcile: async () => undefined },
      alerts: null,
      prices: () => createPriceTable(),
      clock: systemClock,
      settings: () => ({ reservationTtlMs: 60_000, concurrencyLeaseMs: 60_000, maxPendingOperations: 3 }),
      metrics,
      onError: () => undefined,
    });
    const admit = (index: number) =>
      admission.admit({
        context,
        requestId: `req_${index}`,
        endpoint: 'chat.completions',
        endUser: null,
        modelName: 'sim/fast',
        quote,
        promptTokens: () => 10,
        completionTokens: 10,
      });

    const held = [admit(1), admit(2), admit(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(slow.waiting).toHaveLength(3);
    const gauge = await metrics.admissionPending.get();
    expect(gauge.values[0]?.value).toBe(3);

    const refused = await admit(4).catch((error: unknown) => error);
    expect(isPlatformError(refused) && refused.status).toBe(503);

    slow.release();
    const admitted = await Promise.all(held);
    for (const entry of admitted) await entry.finish(null);
    expect((await metrics.admissionPending.get()).values[0]?.value).toBe(0);
    await store.close();
  });
});
