import { describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../support/index.ts';
import { createRetryBudget } from './retry-budget.ts';

function acquireAll(budget: { tryAcquireRetry(): boolean }, tries: number): number {
  let granted = 0;
  for (let index = 0; index < tries; index++) if (budget.tryAcquireRetry()) granted++;
  return granted;
}

describe('createRetryBudget', () => {
  it('allows only the per-second minimum when there is no traffic', () => {
    const clock = createManualClock();
    const budget = createRetryBudget({ ratio: 0.2, minimumPerSecond: 1, windowMs: 10_000 }, clock);
    expect(acquireAll(budget, 100)).toBe(10);
  });

  it('caps retries at ratio × requests plus the minimum under a burst', () => {
    const clock = createManualClock();
    const budget = createRetryBudget({ ratio: 0.2, minimumPerSecond: 0, windowMs: 10_000 }, clock);
    for (let index = 0; index < 1_000; index++) budget.recordRequest();
    expect(acquireAll(budget, 1_000)).toBe(200);
    // Further requests earn further retries at the same ratio.
    for (let index = 0; index < 50; index++) budget.recordRequest();
    expect(acquireAll(budget, 100)).toBe(10);
  });

  it('combines the ratio and the minimum', () => {
    const clock = createManualClock();
    const budget = createRetryBudget({ ratio: 0.1, minimumPerSecond: 0.5, windowMs: 4_000 }, clock);
    for (let index = 0; index < 30; index++) budget.recordRequest();
    // 0.1 × 30 + 0.5 × 4 = 5
    expect(acquireAll(budget, 50)).toBe(5);
  });

  it('refills as spent retries and old requests leave the window', () => {
    const clock = createManualClock();
    const budget = createRetryBudget({ ratio: 0.5, minimumPerSecond: 0, windowMs: 3_000 }, clock);
    for (let index = 0; index < 10; index++) budget.recordRequest();
    expect(acquireAll(budget, 10)).toBe(5);

    clock.advance(1_000);
    for (let index = 0; index < 10; index++) budget.recordRequest();
    // 20 requests earn 10 retries; 5 are spent.
    expect(acquireAll(budget, 10)).toBe(5);

    clock.advance(2_000);
    // The first second's requests and retries have left the window: 10 requests, 5 retries.
    expect(acquireAll(budget, 10)).toBe(0);

    clock.advance(1_000);
    // Everything has left the window.
    for (let index = 0; index < 4; index++) budget.recordRequest();
    expect(acquireAll(budget, 10)).toBe(2);
  });

  it('forgets everything after a long idle period', () => {
    const clock = createManualClock();
    const budget = createRetryBudget({ ratio: 1, minimumPerSecond: 0, windowMs: 2_000 }, clock);
    for (let index = 0; index < 5; index++) budget.recordRequest();
    expect(acquireAll(budget, 10)).toBe(5);
    clock.advance(3_600_000);
    expect(acquireAll(budget, 10)).toBe(0);
  });

  it('keeps a window shorter than a second as one bucket', () => {
    const clock = createManualClock();
    const budget = createRetryBudget({ ratio: 0, minimumPerSecond: 4, windowMs: 500 }, clock);
    expect(acquireAll(budget, 10)).toBe(2);
  });

  it('rejects settings that make no sense', () => {
    const clock = createManualClock();
    expect(() => createRetryBudget({ ratio: -1, minimumPerSecond: 0, windowMs: 1_000 }, clock)).toThrow(
      /ratio/,
    );
    expect(() =>
      createRetryBudget({ ratio: 0.2, minimumPerSecond: Number.NaN, windowMs: 1_000 }, clock),
    ).toThrow(/minimumPerSecond/);
    expect(() => createRetryBudget({ ratio: 0.2, minimumPerSecond: 1, windowMs: 0 }, clock)).toThrow(
      /windowMs/,
    );
  });

  it('works on the system clock', () => {
    const budget = createRetryBudget({ ratio: 0.5, minimumPerSecond: 0, windowMs: 10_000 }, systemClock);
    for (let index = 0; index < 4; index++) budget.recordRequest();
    expect(acquireAll(budget, 4)).toBe(2);
  });
});
