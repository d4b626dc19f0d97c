import { describe, expect, it } from 'vitest';
import { builtInPlans } from './built-in-plans.ts';
import type { PlanDefinition } from './plan-types.ts';
import { describeUpgrade, planAllowsModel, suggestUpgrade } from './plan-upgrade.ts';

const plan = (id: string) => builtInPlans.find((candidate) => candidate.id === id)!;

describe('plan model allowlists', () => {
  it('match ids, groups, provider patterns and every name a model is known by', () => {
    expect(planAllowsModel(plan('free'), 'sim/fast')).toBe(true);
    expect(planAllowsModel(plan('free'), 'openai/gpt-4o-mini')).toBe(true);
    expect(planAllowsModel(plan('free'), 'openai/gpt-4o')).toBe(false);
    expect(planAllowsModel(plan('free'), ['gpt-4-class', 'sim/smart'])).toBe(true);
    expect(planAllowsModel(plan('basic'), 'openai/gpt-4.1')).toBe(true);
    expect(planAllowsModel(plan('basic'), 'anthropic/claude-opus-5-5')).toBe(false);
    expect(planAllowsModel(plan('premium'), 'anthropic/claude-opus-5-5')).toBe(true);
    expect(planAllowsModel(plan('enterprise'), 'anything/at-all')).toBe(true);
  });
});

describe('upgrade suggestions', () => {
  it('suggests the cheapest higher plan that allows the model', () => {
    expect(suggestUpgrade(plan('free'), { model: 'openai/gpt-4o' }, builtInPlans)?.id).toBe('basic');
    expect(suggestUpgrade(plan('free'), { model: 'gpt-4-class' }, builtInPlans)?.id).toBe('basic');
    expect(suggestUpgrade(plan('free'), { model: 'anthropic/claude-opus-5-5' }, builtInPlans)?.id).toBe(
      'premium',
    );
    expect(suggestUpgrade(plan('basic'), { model: 'strongest' }, builtInPlans)?.id).toBe('premium');
    expect(suggestUpgrade(plan('premium'), { model: 'custom/fine-tune' }, builtInPlans)?.id).toBe(
      'enterprise',
    );
  });

  it('suggests by request quota and budget, and combines needs', () => {
    expect(suggestUpgrade(plan('free'), { requests: 101 }, builtInPlans)?.id).toBe('basic');
    expect(suggestUpgrade(plan('free'), { requests: 50_000 }, builtInPlans)?.id).toBe('premium');
    expect(suggestUpgrade(plan('basic'), { requests: 10_000_000 }, builtInPlans)?.id).toBe('enterprise');
    expect(suggestUpgrade(plan('free'), { budgetUsd: 100 }, builtInPlans)?.id).toBe('premium');
    expect(
      suggestUpgrade(plan('free'), { model: 'anthropic/claude-opus-5-5', requests: 500 }, builtInPlans)?.id,
    ).toBe('premium');
  });

  it('never points sideways or down, and says so when nothing fits', () => {
    expect(suggestUpgrade(plan('enterprise'), { model: 'sim/fast' }, builtInPlans)).toBeNull();
    const noEnterprise = builtInPlans.filter((candidate) => candidate.id !== 'enterprise');
    expect(suggestUpgrade(plan('premium'), { requests: 1_000_000 }, noEnterprise)).toBeNull();
    expect(describeUpgrade(plan('premium'), null)).toBe(
      'No plan above Premium allows this; contact the platform administrator.',
    );
  });

  it('prefers the cheaper of two fitting plans regardless of rank, custom prices last', () => {
    const cheapTeam: PlanDefinition = {
      ...plan('basic'),
      id: 'team',
      name: 'Team',
      rank: 5,
      monthlyPriceUsd: '19',
    };
    expect(suggestUpgrade(plan('free'), { model: 'openai/gpt-4o' }, [...builtInPlans, cheapTeam])?.id).toBe(
      'team',
    );
    expect(suggestUpgrade(null, { model: 'sim/fast' }, builtInPlans)?.id).toBe('free');
  });

  it('writes the refusal sentence with the price', () => {
    expect(describeUpgrade(plan('free'), plan('basic'))).toBe(
      'Upgrade to the Basic plan ($49/month) to allow this.',
    );
    expect(describeUpgrade(plan('premium'), plan('enterprise'))).toBe(
      'Upgrade to the Enterprise plan (custom pricing) to allow this.',
    );
  });
});
