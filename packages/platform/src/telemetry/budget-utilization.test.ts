import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createBudgetUtilizationMetrics } from './budget-utilization.ts';

async function exposed(registry: Registry): Promise<string> {
  return registry.metrics();
}

describe('budget utilisation metrics', () => {
  it('exposes the highest ratio and a count per band, naming no budget', async () => {
    const registry = new Registry();
    const budgets = createBudgetUtilizationMetrics(registry);
    budgets.observe('bud_first', 0.2);
    budgets.observe('bud_second', 0.85);
    budgets.observe('bud_third', 1.3);
    budgets.observe('bud_first', 0.95);
    const text = await exposed(registry);
    expect(text).toContain('kimi_budget_utilization_max_ratio 1.3');
    expect(text).toContain('kimi_budgets_by_utilization{band="0-0.5"} 0');
    expect(text).toContain('kimi_budgets_by_utilization{band="0.8-0.9"} 1');
    expect(text).toContain('kimi_budgets_by_utilization{band="0.9-1"} 1');
    expect(text).toContain('kimi_budgets_by_utilization{band="1+"} 1');
    expect(text).not.toContain('bud_');
  });

  it('is zero with every band present before any settlement', async () => {
    const registry = new Registry();
    createBudgetUtilizationMetrics(registry);
    const text = await exposed(registry);
    expect(text).toContain('kimi_budget_utilization_max_ratio 0');
    expect(text.match(/kimi_budgets_by_utilization\{band=/g)).toHaveLength(5);
  });

  it('forgets the budget observed longest ago beyond 10,000, so memory stays bounded', async () => {
    const registry = new Registry();
    const budgets = createBudgetUtilizationMetrics(registry);
    budgets.observe('bud_oldest', 2);
    for (let index = 0; index < 10_000; index += 1) budgets.observe(`bud_${index}`, 0.1);
    const text = await exposed(registry);
    expect(text).toContain('kimi_budget_utilization_max_ratio 0.1');
    expect(text).toContain('kimi_budgets_by_utilization{band="0-0.5"} 10000');
  });
});
