import { describe, expect, it } from 'vitest';
import { createRecentOutcomes } from './recent-outcomes.ts';

describe('createRecentOutcomes', () => {
  it('counts calls and failures of the last window, bucket by bucket', () => {
    const outcomes = createRecentOutcomes(60_000, 1000);
    const start = 1_700_000_000_000;
    outcomes.add(false, start);
    outcomes.add(true, start + 500);
    outcomes.add(false, start + 30_000);
    expect(outcomes.counts(start + 30_000)).toEqual({ calls: 3, failures: 2 });
    // The first bucket leaves the window 60 s after it began.
    expect(outcomes.counts(start + 59_999)).toEqual({ calls: 3, failures: 2 });
    expect(outcomes.counts(start + 60_000)).toEqual({ calls: 1, failures: 1 });
    expect(outcomes.counts(start + 90_000)).toEqual({ calls: 0, failures: 0 });
  });

  it('reuses a slot once its bucket has left the window', () => {
    const outcomes = createRecentOutcomes(3000, 1000);
    outcomes.add(false, 0);
    outcomes.add(true, 3000);
    expect(outcomes.counts(3000)).toEqual({ calls: 1, failures: 0 });
  });

  it('rejects a window shorter than its bucket', () => {
    expect(() => createRecentOutcomes(500, 1000)).toThrow(/windowMs/);
    expect(() => createRecentOutcomes(1000, 0)).toThrow(/bucketMs/);
  });
});
