import { errors } from '../errors/index.ts';
import type { PriceTable } from '../metering/index.ts';
import type { ChatRequest, ModelKind } from '../model/index.ts';
import type { RandomSource } from '../support/index.ts';
import { ruleMatches } from './auto-rules.ts';
import { scoreComplexity } from './complexity.ts';
import { autoModelName, type BuiltInRoutingGroup, defaultRuleName } from './default-routing-policy.ts';
import type { DeploymentStats } from './deployment-stats.ts';
import type { ModelCatalog, ResolvedModel } from './model-catalog.ts';
import type { RouteCandidate, RoutePlan, RoutingDecision } from './route-plan.ts';
import type { CostPreference, RoutingConfig, RoutingRule } from './routing-config-schema.ts';
import {
  buildRoutingNamespace,
  type RoutingGroup,
  type RoutingNamespace,
  type RoutingTarget,
} from './routing-namespace.ts';
import { orderDeployments, type StrategyContext } from './strategies/index.ts';

/** The completion length assumed for pricing when a request sets no `max_tokens`. */
export const defaultExpectedCompletionTokens = 512;

/** The parts of a request routing reads. Embedding requests pass `{ messages: [] }`. */
export type RoutableRequest = Pick<ChatRequest, 'messages'> &
  Partial<Pick<ChatRequest, 'tools' | 'maxTokens'>>;

/** One request to route. */
export interface RouteInput {
  /** What the client sent as `model`: `auto`, a group name, a model id or an alias. */
  modelName: string;
  request: RoutableRequest;
  promptTokens: number;
  /** The tenant's plan name, for `plan_in` rules. */
  plan: string | null;
  costPreference: CostPreference;
  kind: ModelKind;
}

/** The size of a request, for strategies that price it and for context-window ordering. */
export interface RouteSize {
  promptTokens: number;
  /** Default `max_tokens` of the request, else 512. */
  completionTokens?: number;
}

/** A group as listed by the health and explain endpoints. */
export interface RoutingGroupListing {
  name: string;
  source: 'built-in' | 'config';
  description: string | null;
  strategy: string;
  kind: ModelKind | null;
  /** False when no deployment is available: requests naming it get 404, rules skip it. */
  available: boolean;
  routesLikeAuto: boolean;
  deployments: Array<{ model: string; weight: number; contextWindow: number }>;
  /** The chain this group falls back to (its own, else `routing.defaults.fallbacks`). */
  fallbacks: string[];
  /** Resolved to an available group or model; null when none. */
  contextWindowFallback: string | null;
  contentPolicyFallback: string | null;
}

export interface Router {
  /**
   * The ordered deployments for one request, and for `auto` the decision behind them. Calls no
   * provider: GET /v1/routing/explain returns this plan as it is. Throws MODEL_NOT_FOUND for a name
   * that is nothing (or a group with no available deployment) and MODEL_CAPABILITY_MISSING for a
   * model or group of the other kind.
   */
  plan(input: RouteInput): RoutePlan;
  /**
   * The candidates of one group or model, for the context-window and content-policy fallbacks:
   * its deployments in strategy order, then its own explicit fallbacks (not the default chain).
   * Empty for an unknown or unavailable name. `fallbackDepth` counts from this group.
   */
  expandGroup(name: string, size: RouteSize): RouteCandidate[];
  groups(): RoutingGroupListing[];
  /** The rules `auto` applies, in order, and where it goes when none matches. */
  autoPolicy(): { rules: readonly RoutingRule[]; defaultTarget: string };
}

export interface RouterOptions {
  catalog: ModelCatalog;
  config: RoutingConfig;
  prices: PriceTable;
  stats: DeploymentStats;
  random: RandomSource;
  /** Told about deployments dropped and names that resolve to nothing; default: ignored. */
  onConfigWarning?: (message: string) => void;
  /** Replaces the built-in groups of default-routing-policy.ts (tests, embedders). */
  builtInGroups?: Readonly<Record<string, BuiltInRoutingGroup>>;
}

/** A name that resolves to deployments (not to the `auto` policy). */
type ConcreteTarget = Exclude<RoutingTarget, { type: 'auto' }>;

interface PlanningContext {
  kind: ModelKind;
  strategy: StrategyContext;
}

/**
 * Builds the router over a catalog and the `routing:` config; construction validates the config
 * (see buildRoutingNamespace) so a bad reload fails before it replaces a working router.
 *
 * Resolution of `modelName`:
 * - `auto` (or a config group whose deployment is `auto`): the complexity score and the request's
 *   plan, context length, cost preference and tools are matched against the rules in order; a rule
 *   whose target is unavailable, of the other kind, or has no deployment whose context window holds
 *   the prompt is skipped; no match goes to the default target. The target's plan follows, with
 *   `decision` filled. A model id as target also gets the default fallback chain.
 * - a group: its deployments in strategy order, then its fallback chain (its `fallbacks`, else
 *   `routing.defaults.fallbacks`), breadth first: each fallback group's deployments in its own
 *   strategy order, then the groups in its own explicit `fallbacks`. Names already visited (cycles),
 *   deployments already listed, and groups or models that are unavailable or of another kind are
 *   skipped; `fallbackDepth` numbers the contributing fallback groups 1, 2, …
 * - a model id or alias: that model alone, plus the default chain only when
 *   `routing.defaults.fallback_explicit_models` is true.
 * Finally, candidates whose context window is smaller than the prompt move to the end (stable):
 * they would refuse it, but the token count is our estimate, so they stay as a last resort.
 */
export function createRouter(options: RouterOptions): Router {
  const namespace = buildRoutingNamespace({
    catalog: options.catalog,
    config: options.config,
    onConfigWarning: options.onConfigWarning ?? (() => {}),
    ...(options.builtInGroups ? { builtInGroups: options.builtInGroups } : {}),
  });

  const contextFor = (kind: ModelKind, size: RouteSize): PlanningContext => ({
    kind,
    strategy: {
      stats: options.stats,
      random: options.random,
      prices: options.prices,
      size: {
        promptTokens: size.promptTokens,
        completionTokens: size.completionTokens ?? defaultExpectedCompletionTokens,
      },
    },
  });

  const plan = (input: RouteInput): RoutePlan => {
    const target = namespace.lookup(input.modelName);
    if (target === null) throw errors.modelNotFound(input.modelName);
    const context = contextFor(input.kind, {
      promptTokens: input.promptTokens,
      completionTokens: input.request.maxTokens ?? defaultExpectedCompletionTokens,
    });
    if (target.type === 'auto' || routesLikeAuto(target)) return planAuto(namespace, input, context);
    return planTarget(namespace, target, input.modelName, context, { viaAuto: false });
  };

  return {
    plan,
    expandGroup(name, size) {
      const target = namespace.lookup(name);
      if (target === null || target.type === 'auto' || routesLikeAuto(target)) return [];
      const kind = kindOf(target);
      if (kind === null) return [];
      const context = contextFor(kind, size);
      const visited = new Set([name]);
      const seen = new Set<string>();
      const primary = primaryCandidates(target, context, seen);
      const chain = target.type === 'group' ? (target.group.fallbacks ?? []) : [];
      return moveUnfitLast(
        [...primary, ...expandChain(namespace, chain, visited, seen, context)],
        size.promptTokens,
      );
    },
    groups: () => namespace.groups().map((group) => listGroup(namespace, group)),
    autoPolicy: () => ({ rules: namespace.autoRules, defaultTarget: namespace.defaultTarget }),
  };
}

function routesLikeAuto(target: ConcreteTarget): boolean {
  return target.type === 'group' && target.group.routesLikeAuto;
}

function planAuto(namespace: RoutingNamespace, input: RouteInput, context: PlanningContext): RoutePlan {
  if (input.kind !== 'chat') throw errors.modelCapabilityMissing(input.modelName, 'embeddings');
  const { score, features } = scoreComplexity(input.request, input.promptTokens);
  const facts = {
    complexity: score,
    plan: input.plan,
    promptTokens: input.promptTokens,
    costPreference: input.costPreference,
    toolCount: features.toolCount,
  };
  let chosen: { rule: string; target: ConcreteTarget } | null = null;
  for (const rule of namespace.autoRules) {
    if (!ruleMatches(rule.when, facts)) continue;
    const target = usableTarget(namespace, rule.target, 'chat');
    if (target === null || !holdsPrompt(target, input.promptTokens)) continue;
    chosen = { rule: rule.name, target };
    break;
  }
  if (chosen === null) {
    const target = usableTarget(namespace, namespace.defaultTarget, 'chat');
    if (target === null) {
      throw errors.unavailable(
        `No routing rule matched and the default target '${namespace.defaultTarget}' of '${autoModelName}' has no available deployment.`,
        'Configure a provider for one of its models, or set routing.auto.default_target in kimi.config.yaml.',
      );
    }
    chosen = { rule: defaultRuleName, target };
  }
  const decision: RoutingDecision = {
    complexity: score,
    features,
    plan: input.plan,
    costPreference: input.costPreference,
    matchedRule: chosen.rule,
    target: chosen.target.name,
  };
  return {
    ...planTarget(namespace, chosen.target, input.modelName, context, { viaAuto: true }),
    decision,
  };
}

/** A group or model that can serve `kind` now; null for anything else (skipped by callers). */
function usableTarget(namespace: RoutingNamespace, name: string, kind: ModelKind): ConcreteTarget | null {
  const target = namespace.lookup(name);
  if (target === null || target.type === 'auto' || routesLikeAuto(target)) return null;
  return kindOf(target) === kind ? target : null;
}

function kindOf(target: ConcreteTarget): ModelKind | null {
  return target.type === 'model' ? target.model.descriptor.kind : target.group.kind;
}

function holdsPrompt(target: ConcreteTarget, promptTokens: number): boolean {
  const models =
    target.type === 'model' ? [target.model] : target.group.deployments.map((deployment) => deployment.model);
  return models.some((model) => model.descriptor.contextWindow >= promptTokens);
}

function planTarget(
  namespace: RoutingNamespace,
  target: ConcreteTarget,
  requestedModel: string,
  context: PlanningContext,
  options: { viaAuto: boolean },
): RoutePlan {
  const kind = kindOf(target);
  if (kind === null) throw errors.modelNotFound(requestedModel);
  if (kind !== context.kind) {
    throw errors.modelCapabilityMissing(
      requestedModel,
      context.kind === 'chat' ? 'chat completions' : 'embeddings',
    );
  }
  const visited = new Set([target.name]);
  const seen = new Set<string>();
  const primary = primaryCandidates(target, context, seen);
  let chain: readonly string[];
  if (target.type === 'group') chain = target.group.fallbacks ?? namespace.defaultFallbacks;
  else {
    visited.add(target.model.publicId);
    // Why auto's model targets fall back: the caller asked for `auto`, not for that model.
    chain = options.viaAuto || namespace.fallbackExplicitModels ? namespace.defaultFallbacks : [];
  }
  const candidates = [...primary, ...expandChain(namespace, chain, visited, seen, context)];
  const group = target.type === 'group' ? target.group : null;
  return {
    requestedModel,
    group: target.type === 'model' ? target.model.publicId : target.name,
    strategy: group?.strategy ?? 'pinned',
    candidates: moveUnfitLast(candidates, context.strategy.size.promptTokens),
    contextWindowFallback: resolveSpecialFallback(namespace, group?.contextWindowFallback ?? null, kind),
    contentPolicyFallback: resolveSpecialFallback(namespace, group?.contentPolicyFallback ?? null, kind),
    decision: null,
  };
}

function primaryCandidates(
  target: ConcreteTarget,
  context: PlanningContext,
  seen: Set<string>,
): RouteCandidate[] {
  if (target.type === 'model') {
    seen.add(target.model.publicId);
    return [{ model: target.model, group: target.model.publicId, fallbackDepth: 0 }];
  }
  return orderedModels(target.group, context, seen).map((model) => ({
    model,
    group: target.name,
    fallbackDepth: 0,
  }));
}

function orderedModels(group: RoutingGroup, context: PlanningContext, seen: Set<string>): ResolvedModel[] {
  const fresh = group.deployments.filter((deployment) => !seen.has(deployment.id));
  const strategy = group.strategy === 'first-available' ? 'weighted' : group.strategy;
  const ordered = orderDeployments(strategy, fresh, context.strategy).map((deployment) => deployment.model);
  for (const model of ordered) seen.add(model.publicId);
  return ordered;
}

/** Breadth-first over the chain and the explicit `fallbacks` of the groups in it; cycle-safe. */
function expandChain(
  namespace: RoutingNamespace,
  chain: readonly string[],
  visited: Set<string>,
  seen: Set<string>,
  context: PlanningContext,
): RouteCandidate[] {
  const candidates: RouteCandidate[] = [];
  const queue = [...chain];
  let depth = 0;
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (visited.has(name)) continue;
    visited.add(name);
    const target = usableTarget(namespace, name, context.kind);
    if (target === null) continue;
    let models: ResolvedModel[];
    if (target.type === 'group') {
      models = orderedModels(target.group, context, seen);
      queue.push(...(target.group.fallbacks ?? []));
    } else if (!seen.has(target.model.publicId)) {
      seen.add(target.model.publicId);
      models = [target.model];
    } else {
      models = [];
    }
    if (models.length === 0) continue;
    depth++;
    for (const model of models) candidates.push({ model, group: name, fallbackDepth: depth });
  }
  return candidates;
}

function moveUnfitLast(candidates: RouteCandidate[], promptTokens: number): RouteCandidate[] {
  const fits = (candidate: RouteCandidate) => candidate.model.descriptor.contextWindow >= promptTokens;
  return [...candidates.filter(fits), ...candidates.filter((candidate) => !fits(candidate))];
}

function resolveSpecialFallback(
  namespace: RoutingNamespace,
  name: string | null,
  kind: ModelKind,
): string | null {
  if (name === null) return null;
  const target = usableTarget(namespace, name, kind);
  return target === null ? null : target.name;
}

function listGroup(namespace: RoutingNamespace, group: RoutingGroup): RoutingGroupListing {
  const kind = group.kind ?? 'chat';
  return {
    name: group.name,
    source: group.source,
    description: group.description,
    strategy: group.routesLikeAuto ? autoModelName : group.strategy,
    kind: group.kind,
    available: group.routesLikeAuto || group.deployments.length > 0,
    routesLikeAuto: group.routesLikeAuto,
    deployments: group.deployments.map((deployment) => ({
      model: deployment.id,
      weight: deployment.weight,
      contextWindow: deployment.model.descriptor.contextWindow,
    })),
    fallbacks: group.routesLikeAuto ? [] : [...(group.fallbacks ?? namespace.defaultFallbacks)],
    contextWindowFallback: resolveSpecialFallback(namespace, group.contextWindowFallback, kind),
    contentPolicyFallback: resolveSpecialFallback(namespace, group.contentPolicyFallback, kind),
  };
}
