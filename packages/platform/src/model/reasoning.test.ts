import { describe, expect, it } from 'vitest';
import { reasoningEffortOf, thinkingBudgetOf } from './reasoning.ts';

describe('reasoning between efforts and thinking budgets', () => {
  it('keeps an effort that was given, and reads one from a budget on the documented scale', () => {
    expect(reasoningEffortOf({ effort: 'high', budgetTokens: 1024 })).toBe('high');
    expect(reasoningEffortOf({ budgetTokens: 1024 })).toBe('minimal');
    expect(reasoningEffortOf({ budgetTokens: 2047 })).toBe('minimal');
    expect(reasoningEffortOf({ budgetTokens: 2048 })).toBe('low');
    expect(reasoningEffortOf({ budgetTokens: 10_000 })).toBe('medium');
    expect(reasoningEffortOf({ budgetTokens: 24_576 })).toBe('high');
    expect(reasoningEffortOf({ budgetTokens: 100_000 })).toBe('xhigh');
    expect(reasoningEffortOf({})).toBe('medium');
  });

  it('turns an effort into a budget, and keeps every budget under the output limit', () => {
    expect(thinkingBudgetOf({ effort: 'low' }, 64_000)).toBe(2048);
    expect(thinkingBudgetOf({ effort: 'xhigh' }, 64_000)).toBe(49_152);
    expect(thinkingBudgetOf({ budgetTokens: 5000 }, 64_000)).toBe(5000);
    expect(thinkingBudgetOf({ effort: 'high' }, 4000)).toBe(3999);
    expect(thinkingBudgetOf({ effort: 'medium' }, 1024)).toBeUndefined();
    expect(thinkingBudgetOf({}, 64_000)).toBe(8192);
  });

  it('maps each effort to a budget that maps back to the same effort', () => {
    for (const effort of ['minimal', 'low', 'medium', 'high', 'xhigh'] as const) {
      const budget = thinkingBudgetOf({ effort }, 1_000_000) as number;
      expect(reasoningEffortOf({ budgetTokens: budget })).toBe(effort);
    }
  });
});
