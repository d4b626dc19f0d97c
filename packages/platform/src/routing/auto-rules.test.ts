import { describe, expect, it } from 'vitest';
import { type AutoRuleFacts, ruleMatches } from './auto-rules.ts';

const facts: AutoRuleFacts = {
  complexity: 0.5,
  plan: 'free',
  promptTokens: 1000,
  costPreference: 'balanced',
  toolCount: 0,
};

describe('ruleMatches', () => {
  it.each([
    [{}, facts, true],
    [{ complexity_above: 0.8 }, { ...facts, complexity: 0.81 }, true],
    [{ complexity_above: 0.8 }, { ...facts, complexity: 0.8 }, false],
    [{ complexity_below: 0.3 }, { ...facts, complexity: 0.2 }, true],
    [{ complexity_below: 0.3 }, facts, false],
    [{ plan_in: ['premium', 'enterprise'] }, { ...facts, plan: 'enterprise' }, true],
    [{ plan_in: ['premium'] }, facts, false],
    [{ plan_in: ['premium'] }, { ...facts, plan: null }, false],
    [{ context_tokens_above: 100_000 }, { ...facts, promptTokens: 100_001 }, true],
    [{ context_tokens_above: 100_000 }, { ...facts, promptTokens: 100_000 }, false],
    [{ cost_preference: 'cost' as const }, { ...facts, costPreference: 'cost' as const }, true],
    [{ cost_preference: 'cost' as const }, facts, false],
    [{ has_tools: true }, { ...facts, toolCount: 2 }, true],
    [{ has_tools: false }, { ...facts, toolCount: 2 }, false],
    [{ has_tools: false }, facts, true],
    [{ plan_in: ['premium'], cost_preference: 'cost' as const }, { ...facts, plan: 'premium' }, false],
  ])('%j against %j → %s', (when, input, expected) => {
    expect(ruleMatches(when, input)).toBe(expected);
  });
});
