import { Gauge, type Registry } from 'prom-client';

/** Upper bounds of the utilisation bands budgets are counted in (the last band is open). */
const bandBounds = [0.5, 0.8, 0.9, 1] as const;
const bandNames = ['0-0.5', '0.5-0.8', '0.8-0.9', '0.9-1', '1+'] as const;
type Band = (typeof bandNames)[number];

/** How many budgets one process remembers; the oldest observed is forgotten beyond it. */
const rememberedBudgets = 10_000;

function bandOf(ratio: number): Band {
  const index = bandBounds.findIndex((bound) => ratio < bound);
  return bandNames[index === -1 ? bandNames.length - 1 : index] ?? '1+';
}

export interface BudgetUtilizationMetrics {
  /** Records a configured budget's spent-over-limit ratio at a settlement in this process. */
  observe(budgetId: string, ratio: number): void;
}

/**
 * Budget utilisation without naming any budget: `/metrics` is an unauthenticated operator
 * endpoint, and a budget id belongs to its organisation (the cross-tenant route probe checks no
 * route shows one). Exposed as the highest ratio and a count of budgets per utilisation band,
 * both over the budgets this process settled most recently (bounded memory, bounded series).
 */
export function createBudgetUtilizationMetrics(registry: Registry): BudgetUtilizationMetrics {
  const ratios = new Map<string, number>();
  // why no names kept: prom-client's registry holds the gauges; collect() reads the map at each scrape.
  new Gauge({
    name: 'kimi_budget_utilization_max_ratio',
    help: 'Highest spent-over-limit ratio among the configured budgets this process settled, in their current periods.',
    registers: [registry],
    collect() {
      let maximum = 0;
      for (const ratio of ratios.values()) maximum = Math.max(maximum, ratio);
      this.set(maximum);
    },
  });
  new Gauge({
    name: 'kimi_budgets_by_utilization',
    help: 'Configured budgets this process settled, by utilisation band of their current period (1+ = exhausted).',
    labelNames: ['band'] as const,
    registers: [registry],
    collect() {
      const counts = new Map<Band, number>(bandNames.map((band) => [band, 0]));
      for (const ratio of ratios.values()) {
        const band = bandOf(ratio);
        counts.set(band, (counts.get(band) ?? 0) + 1);
      }
      for (const [band, count] of counts) this.set({ band }, count);
    },
  });
  return {
    observe(budgetId, ratio) {
      ratios.delete(budgetId);
      ratios.set(budgetId, ratio);
      if (ratios.size > rememberedBudgets) {
        const oldest = ratios.keys().next().value;
        if (oldest !== undefined) ratios.delete(oldest);
      }
    },
  };
}
