import { describeUpgrade, type Plan, planAllowsModel, suggestUpgrade } from '../../metering/plans/index.ts';
import type { RouteCandidate } from '../../routing/index.ts';
import type { ChatQuote } from '../chat-gateway.ts';
import { limitErrors } from './limit-errors.ts';

/** Every name a candidate is known by: its id, its group, and what the caller asked for when it is the first choice. */
function namesOf(candidate: RouteCandidate, quote: ChatQuote): string[] {
  const names = [candidate.model.publicId, candidate.group];
  if (candidate.fallbackDepth === 0) names.push(quote.routePlan.requestedModel, quote.routePlan.group);
  return names;
}

/**
 * Keeps only the candidates the plan allows, so no fallback takes a tenant beyond its plan.
 * Throws MODEL_NOT_IN_PLAN (403) with the cheapest upgrade that would allow the model when none is left.
 */
export function restrictToPlan(
  quote: ChatQuote,
  plan: Plan,
  modelName: string,
  plans: readonly Plan[],
): ChatQuote {
  if (plan.allowedModels === null) return quote;
  const candidates = quote.routePlan.candidates.filter((candidate) =>
    planAllowsModel(plan, namesOf(candidate, quote)),
  );
  if (candidates.length === quote.routePlan.candidates.length) return quote;
  if (candidates.length === 0) {
    const first = quote.routePlan.candidates[0];
    const names = first ? namesOf(first, quote) : [modelName];
    throw limitErrors.modelNotInPlan(
      modelName,
      plan.name,
      describeUpgrade(plan, suggestUpgrade(plan, { model: names }, plans)),
    );
  }
  const allowed = (group: string) =>
    quote
      .expandGroup(group)
      .filter((candidate) => planAllowsModel(plan, [candidate.model.publicId, candidate.group]));
  return { ...quote, routePlan: { ...quote.routePlan, candidates }, expandGroup: allowed };
}
