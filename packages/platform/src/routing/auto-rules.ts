import type { CostPreference, RoutingRule } from './routing-config-schema.ts';

/** What `auto` rules are evaluated against, for one request. */
export interface AutoRuleFacts {
  complexity: number;
  plan: string | null;
  promptTokens: number;
  costPreference: CostPreference;
  toolCount: number;
}

/**
 * Whether every condition a rule sets holds (a rule with no condition always matches). Bounds are
 * strict: `complexity_above: 0.8` does not match 0.8, `context_tokens_above: 100000` does not match
 * 100,000 tokens.
 */
export function ruleMatches(when: RoutingRule['when'], facts: AutoRuleFacts): boolean {
  if (when.complexity_above !== undefined && !(facts.complexity > when.complexity_above)) return false;
  if (when.complexity_below !== undefined && !(facts.complexity < when.complexity_below)) return false;
  if (when.plan_in !== undefined && (facts.plan === null || !when.plan_in.includes(facts.plan))) return false;
  if (when.context_tokens_above !== undefined && !(facts.promptTokens > when.context_tokens_above))
    return false;
  if (when.cost_preference !== undefined && facts.costPreference !== when.cost_preference) return false;
  if (when.has_tools !== undefined && facts.toolCount > 0 !== when.has_tools) return false;
  return true;
}
