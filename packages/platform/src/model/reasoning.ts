import type { ReasoningEffort, ReasoningRequest } from './chat.ts';

/**
 * Reasoning between the two forms providers take it in. An effort becomes a thinking budget
 * (Anthropic's smallest is 1,024 tokens) and a budget an effort, on the same scale both ways, so a
 * request keeps its intent whichever provider serves it:
 *
 * | effort  | budget tokens | a budget of … is the effort |
 * | ------- | ------------- | --------------------------- |
 * | minimal | 1,024         | under 2,048                 |
 * | low     | 2,048         | 2,048 to 8,191              |
 * | medium  | 8,192         | 8,192 to 24,575             |
 * | high    | 24,576        | 24,576 to 49,151            |
 * | xhigh   | 49,152        | 49,152 and more             |
 */
const budgetOfEffort: Record<ReasoningEffort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24_576,
  xhigh: 49_152,
};

/** Anthropic's smallest thinking budget. */
export const minimumThinkingBudget = 1024;

/** The effort a request asks for: the one it gave, or the one its budget corresponds to. */
export function reasoningEffortOf(reasoning: ReasoningRequest): ReasoningEffort {
  if (reasoning.effort !== undefined) return reasoning.effort;
  const budget = reasoning.budgetTokens ?? budgetOfEffort.medium;
  const efforts = Object.entries(budgetOfEffort) as Array<[ReasoningEffort, number]>;
  let chosen: ReasoningEffort = 'minimal';
  for (const [effort, threshold] of efforts) if (budget >= threshold) chosen = effort;
  return chosen;
}

/**
 * The thinking budget a request asks for, below `maxTokens` as Anthropic requires; undefined when
 * the output limit leaves no room for the smallest budget.
 */
export function thinkingBudgetOf(reasoning: ReasoningRequest, maxTokens: number): number | undefined {
  const wanted = reasoning.budgetTokens ?? budgetOfEffort[reasoning.effort ?? 'medium'];
  const budget = Math.min(wanted, maxTokens - 1);
  return budget >= minimumThinkingBudget ? budget : undefined;
}
