import { errors } from '../errors/index.ts';
import type { ChatRequest, ModelKind, ProviderRequirement } from '../model/index.ts';
import type { CostPreference, RouteCandidate, RoutePlan } from '../routing/index.ts';
import { type AuthContext, isModelAllowed } from '../tenancy/index.ts';
import type { AttemptLoopDependencies } from './attempt-loop.ts';

export interface RoutePlanInput {
  modelName: string;
  request: Omit<ChatRequest, 'model'>;
  promptTokens: number;
  plan: string | null;
  costPreference: CostPreference;
  kind: ModelKind;
}

/** What the gateway needs from routing: a plan per request, and the attempt loop's parts. */
export interface GatewayRouting {
  plan(input: RoutePlanInput): RoutePlan;
  /** Another group's candidates, for context-window and content-policy fallbacks. */
  expandGroup(group: string, size: { promptTokens: number; completionTokens?: number }): RouteCandidate[];
  attempts: AttemptLoopDependencies;
}

/** A cheap token estimate (4 characters per token) for routing and quotas; metering counts exactly. */
export function estimatePromptTokens(request: Omit<ChatRequest, 'model'>): number {
  let characters = 0;
  for (const message of request.messages) {
    if (typeof message.content === 'string') characters += message.content.length;
    else if (Array.isArray(message.content)) {
      for (const part of message.content) if (part.type === 'text') characters += part.text.length;
    }
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) characters += call.name.length + call.arguments.length;
    }
  }
  for (const tool of request.tools ?? []) characters += JSON.stringify(tool).length;
  return Math.ceil(characters / 4);
}

/** The candidates whose provider can serve the request (all of them without a requirement). */
export function servableCandidates(
  candidates: RouteCandidate[],
  requirement: ProviderRequirement | undefined,
): RouteCandidate[] {
  if (requirement === undefined) return candidates;
  return candidates.filter((candidate) => requirement.providers.includes(candidate.model.provider.name));
}

/** Keeps the plan to the deployments that can serve the request; none is a 400 naming the field. */
function keepServable(plan: RoutePlan, requirement: ProviderRequirement | undefined): RoutePlan {
  if (requirement === undefined) return plan;
  const candidates = servableCandidates(plan.candidates, requirement);
  const [first] = plan.candidates;
  if (candidates.length === 0 && first) {
    throw errors.invalidRequest(
      requirement.param,
      `${requirement.reason} '${first.model.publicId}' cannot serve it.`,
      `Use a model of the ${requirement.providers.map((name) => `'${name}'`).join(' or ')} provider, or leave that content out.`,
    );
  }
  return { ...plan, candidates };
}

/**
 * Plans the route for a caller. The key's allowlist applies to every deployment the plan may reach:
 * a fallback never takes a key somewhere it may not go. Naming a group in the allowlist allows that
 * group's own deployments; fallback groups are checked deployment by deployment.
 */
export function planForCaller(
  routing: GatewayRouting,
  context: AuthContext,
  input: Omit<RoutePlanInput, 'plan'>,
): RoutePlan {
  const plan = keepServable(routing.plan({ ...input, plan: context.plan }), input.request.servableBy);
  if (context.allowedModels === null) return plan;
  const groupNamed = context.allowedModels.includes(input.modelName);
  const candidates = plan.candidates.filter(
    (candidate) =>
      (groupNamed && candidate.fallbackDepth === 0) ||
      isModelAllowed(context, candidate.model.publicId, candidate.model.publicId),
  );
  if (candidates.length === 0) throw errors.modelNotAllowed(input.modelName);
  return { ...plan, candidates };
}
