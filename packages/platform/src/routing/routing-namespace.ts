import type { ModelDescriptor, ModelKind } from '../model/index.ts';
import {
  autoModelName,
  type BuiltInRoutingGroup,
  defaultAutoRules,
  builtInRoutingGroups as defaultBuiltInGroups,
} from './default-routing-policy.ts';
import type { ModelCatalog, ResolvedModel } from './model-catalog.ts';
import type {
  RoutingConfig,
  RoutingGroupConfig,
  RoutingRule,
  RoutingStrategy,
} from './routing-config-schema.ts';

/** One deployment of a group: a resolved model and its weight. */
export interface RoutingDeployment {
  /** The model's public id (what strategies, stats and prices key on). */
  id: string;
  weight: number;
  model: ResolvedModel;
}

/** A group after construction: only available deployments, all of one kind. */
export interface RoutingGroup {
  name: string;
  source: 'built-in' | 'config';
  description: string | null;
  /** Built-in groups serve their first available preference: `first-available`. */
  strategy: RoutingStrategy | 'first-available';
  /** Null when no deployment is available (the group is then unavailable). */
  kind: ModelKind | null;
  deployments: RoutingDeployment[];
  /** The group's own chain; null means `routing.defaults.fallbacks`. */
  fallbacks: string[] | null;
  contextWindowFallback: string | null;
  contentPolicyFallback: string | null;
  /** A config group whose deployment is `auto`: it routes like the virtual model. */
  routesLikeAuto: boolean;
}

/** What a name in a request, a rule or a fallback list stands for. */
export type RoutingTarget =
  | { type: 'auto'; name: string }
  | { type: 'group'; name: string; group: RoutingGroup }
  | { type: 'model'; name: string; model: ResolvedModel };

/** Built-in groups, config groups and the catalog's models and aliases, as one set of names. */
export interface RoutingNamespace {
  /** Null for a name that is nothing here. */
  lookup(name: string): RoutingTarget | null;
  /** Every group, config groups replacing built-in ones of the same name, sorted by name. */
  groups(): RoutingGroup[];
  autoRules: readonly RoutingRule[];
  defaultTarget: string;
  defaultFallbacks: readonly string[];
  fallbackExplicitModels: boolean;
}

export interface RoutingNamespaceOptions {
  catalog: ModelCatalog;
  config: RoutingConfig;
  /** Defaults to the built-in groups of default-routing-policy.ts. */
  builtInGroups?: Readonly<Record<string, BuiltInRoutingGroup>>;
  onConfigWarning: (message: string) => void;
}

/**
 * Builds the namespace once, at start-up or on config reload. Throws for a config group named like
 * a model id, an alias or `auto`; warns (and drops) deployments naming unavailable models or
 * models of another kind than the group's, and warns about references to unknown names.
 */
export function buildRoutingNamespace(options: RoutingNamespaceOptions): RoutingNamespace {
  const { catalog, config } = options;
  const warn = options.onConfigWarning;
  const descriptors = catalog.list().map((entry) => entry.descriptor);
  const modelIds = new Set(descriptors.map((descriptor) => descriptor.id));
  const isCatalogName = (name: string) => modelIds.has(name) || catalog.aliasTarget(name) !== null;

  const groups = new Map<string, RoutingGroup>();
  for (const [name, builtIn] of Object.entries(options.builtInGroups ?? defaultBuiltInGroups)) {
    if (name in config.groups) continue;
    if (isCatalogName(name)) {
      warn(`routing: the alias '${name}' hides the built-in routing group of the same name`);
      continue;
    }
    groups.set(name, builtInGroup(name, builtIn, descriptors, catalog));
  }
  for (const [name, groupConfig] of Object.entries(config.groups)) {
    if (name === autoModelName) {
      throw new Error(
        `Invalid config: routing.groups.${name}: '${autoModelName}' is the virtual model routed by routing.auto; rename the group`,
      );
    }
    if (isCatalogName(name)) {
      throw new Error(
        `Invalid config: routing.groups.${name}: the group name is also a model id or alias; rename the group`,
      );
    }
    groups.set(name, configGroup(name, groupConfig, catalog, isCatalogName, warn));
  }

  const lookup = (name: string): RoutingTarget | null => {
    if (name === autoModelName) return { type: 'auto', name };
    const group = groups.get(name);
    if (group !== undefined) return { type: 'group', name, group };
    if (isCatalogName(name)) return { type: 'model', name, model: catalog.resolve(name) };
    return null;
  };

  const namespace: RoutingNamespace = {
    lookup,
    groups: () => [...groups.values()].sort((first, second) => first.name.localeCompare(second.name)),
    autoRules: config.auto.rules ?? defaultAutoRules,
    defaultTarget: config.auto.default_target,
    defaultFallbacks: config.defaults.fallbacks,
    fallbackExplicitModels: config.defaults.fallback_explicit_models,
  };
  checkReferences(namespace, config, warn);
  return namespace;
}

function builtInGroup(
  name: string,
  builtIn: BuiltInRoutingGroup,
  descriptors: readonly ModelDescriptor[],
  catalog: ModelCatalog,
): RoutingGroup {
  const chosen = firstAvailable(builtIn.preference, descriptors);
  return {
    name,
    source: 'built-in',
    description: builtIn.description,
    strategy: 'first-available',
    kind: chosen === null ? null : 'chat',
    deployments: chosen === null ? [] : [{ id: chosen.id, weight: 1, model: catalog.resolve(chosen.id) }],
    fallbacks: null,
    contextWindowFallback: builtIn.contextWindowFallback,
    contentPolicyFallback: builtIn.contentPolicyFallback,
    routesLikeAuto: false,
  };
}

/** The first chat model a preference list names; `provider/*` is that provider's first chat model. */
function firstAvailable(
  preference: readonly string[],
  descriptors: readonly ModelDescriptor[],
): ModelDescriptor | null {
  for (const entry of preference) {
    const found = entry.endsWith('/*')
      ? descriptors.find(
          (descriptor) => descriptor.kind === 'chat' && descriptor.provider === entry.slice(0, -2),
        )
      : descriptors.find((descriptor) => descriptor.kind === 'chat' && descriptor.id === entry);
    if (found !== undefined) return found;
  }
  return null;
}

function configGroup(
  name: string,
  groupConfig: RoutingGroupConfig,
  catalog: ModelCatalog,
  isCatalogName: (name: string) => boolean,
  warn: (message: string) => void,
): RoutingGroup {
  const deployments: RoutingDeployment[] = [];
  let kind: ModelKind | null = null;
  let routesLikeAuto = false;
  for (const [index, deployment] of groupConfig.deployments.entries()) {
    const path = `routing.groups.${name}.deployments[${index}].model`;
    if (deployment.model === autoModelName) {
      routesLikeAuto = true;
      continue;
    }
    if (!isCatalogName(deployment.model)) {
      warn(`${path}: '${deployment.model}' is not an available model; the deployment is dropped`);
      continue;
    }
    const model = catalog.resolve(deployment.model);
    if (deployments.some((existing) => existing.id === model.publicId)) {
      warn(`${path}: '${model.publicId}' is listed twice; the later entry is dropped`);
      continue;
    }
    if (kind !== null && model.descriptor.kind !== kind) {
      warn(
        `${path}: '${model.publicId}' is a ${model.descriptor.kind} model but the group serves ${kind} models; the deployment is dropped`,
      );
      continue;
    }
    kind = model.descriptor.kind;
    deployments.push({ id: model.publicId, weight: deployment.weight, model });
  }
  if (routesLikeAuto && deployments.length > 0) {
    warn(
      `routing.groups.${name}.deployments: the group routes like '${autoModelName}'; its other deployments are ignored`,
    );
  }
  if (
    routesLikeAuto &&
    (groupConfig.fallbacks !== undefined ||
      groupConfig.context_window_fallback !== undefined ||
      groupConfig.content_policy_fallback !== undefined)
  ) {
    warn(
      `routing.groups.${name}: the group routes like '${autoModelName}'; its fallbacks are those of the target the policy chooses`,
    );
  }
  if (!routesLikeAuto && deployments.length === 0) {
    warn(`routing.groups.${name}: no deployment is available; the group is unavailable`);
  }
  return {
    name,
    source: 'config',
    description: null,
    strategy: groupConfig.strategy,
    kind: routesLikeAuto ? 'chat' : kind,
    deployments: routesLikeAuto ? [] : deployments,
    fallbacks: groupConfig.fallbacks ?? null,
    contextWindowFallback: groupConfig.context_window_fallback ?? null,
    contentPolicyFallback: groupConfig.content_policy_fallback ?? null,
    routesLikeAuto,
  };
}

/** Warns about names that are nothing at all; names of groups that are merely empty pass quietly. */
function checkReferences(
  namespace: RoutingNamespace,
  config: RoutingConfig,
  warn: (message: string) => void,
): void {
  const check = (path: string, name: string, role: 'fallback' | 'target') => {
    const target = namespace.lookup(name);
    if (target === null) {
      warn(`${path}: '${name}' is neither a routing group nor an available model; it is skipped`);
    } else if (target.type === 'auto' || (target.type === 'group' && target.group.routesLikeAuto)) {
      warn(`${path}: '${name}' routes like '${autoModelName}' and cannot be a ${role}; it is skipped`);
    }
  };
  for (const [index, name] of config.defaults.fallbacks.entries()) {
    check(`routing.defaults.fallbacks[${index}]`, name, 'fallback');
  }
  for (const [groupName, group] of Object.entries(config.groups)) {
    for (const [index, name] of (group.fallbacks ?? []).entries()) {
      check(`routing.groups.${groupName}.fallbacks[${index}]`, name, 'fallback');
    }
    if (group.context_window_fallback !== undefined) {
      check(`routing.groups.${groupName}.context_window_fallback`, group.context_window_fallback, 'fallback');
    }
    if (group.content_policy_fallback !== undefined) {
      check(`routing.groups.${groupName}.content_policy_fallback`, group.content_policy_fallback, 'fallback');
    }
  }
  for (const [index, rule] of (config.auto.rules ?? []).entries()) {
    check(`routing.auto.rules[${index}] (${rule.name}).target`, rule.target, 'target');
  }
  check('routing.auto.default_target', namespace.defaultTarget, 'target');
  const defaultTarget = namespace.lookup(namespace.defaultTarget);
  if (defaultTarget?.type === 'group' && defaultTarget.group.kind === null) {
    warn(
      `routing.auto.default_target: the group '${namespace.defaultTarget}' has no available deployment; '${autoModelName}' fails when no rule matches`,
    );
  }
}
