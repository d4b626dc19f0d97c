import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { PlatformError } from '../../errors/index.ts';
import { graphqlErrors } from './graphql-errors.ts';

/** What one GraphQL document may ask for. Introspection fields (`__schema`, `__type`) are not counted. */
export interface GraphQLLimits {
  /** Fields nested in fields: `organization { keys { data { id } } }` is 4 deep. */
  maximumDepth: number;
  /**
   * The estimated number of fields resolved: each field counts 1, and what is selected under a
   * field with `limit` (or `topK`) counts that many times (an omitted limit counts as `defaultListSize`).
   */
  maximumCost: number;
  maximumAliases: number;
  /** Lexical tokens of the document (the parser stops beyond it). */
  maximumTokens: number;
}

export const defaultGraphQLLimits: GraphQLLimits = {
  maximumDepth: 8,
  maximumCost: 5000,
  maximumAliases: 20,
  maximumTokens: 5000,
};

const multiplierArguments = new Set(['limit', 'topK']);

/**
 * The fields that take a `limit` (or `topK`), by name, with the largest default any type gives
 * it: what an omitted or unset argument counts as.
 */
export function listFieldDefaults(schema: GraphQLSchema): ReadonlyMap<string, number> {
  const defaults = new Map<string, number>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const argument = field.args.find((candidate) => multiplierArguments.has(candidate.name));
      if (!argument) continue;
      const value = typeof argument.defaultValue === 'number' ? argument.defaultValue : 1;
      defaults.set(field.name, Math.max(value, defaults.get(field.name) ?? 1));
    }
  }
  return defaults;
}

interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  listDefaults: ReadonlyMap<string, number>;
  visiting: Set<string>;
  /** Each fragment is measured once: spreading it again costs no walk (no exponential documents). */
  measured: Map<string, Measure>;
}

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
}

function numberOf(value: ValueNode, variables: Readonly<Record<string, unknown>>): number | null {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' ? given : null;
  }
  return null;
}

/** Walks a selection set; a fragment inside itself counts nothing (a cycle fails validation anyway). */
function measure(selectionSet: SelectionSetNode, walk: Walk): Measure {
  let depth = 0;
  let cost = 0;
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      if (selection.alias) aliases++;
      const argument = selection.arguments?.find((node) => multiplierArguments.has(node.name.value));
      const given = argument ? numberOf(argument.value, walk.variables) : null;
      const multiplier = Math.max(1, given ?? walk.listDefaults.get(selection.name.value) ?? 1);
      const inner = selection.selectionSet
        ? measure(selection.selectionSet, walk)
        : { depth: 0, cost: 0, aliases: 0 };
      depth = Math.max(depth, 1 + inner.depth);
      cost += 1 + multiplier * inner.cost;
      aliases += inner.aliases;
      continue;
    }
    let inner: Measure = { depth: 0, cost: 0, aliases: 0 };
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, walk);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      const known = walk.measured.get(name);
      if (known) inner = known;
      else if (fragment && !walk.visiting.has(name)) {
        walk.visiting.add(name);
        inner = measure(fragment.selectionSet, walk);
        walk.visiting.delete(name);
        walk.measured.set(name, inner);
      }
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
    aliases += inner.aliases;
  }
  return { depth, cost, aliases };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of document.definitions) {
    if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  }
  return fragments;
}

function measureOperation(
  definition: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  listDefaults: ReadonlyMap<string, number>,
): Measure {
  return measure(definition.selectionSet, {
    fragments,
    variables,
    listDefaults,
    visiting: new Set(),
    measured: new Map(),
  });
}

/**
 * The depth or alias limit a document exceeds (in any of its operations: the answer depends on
 * the document alone, so it may be cached with its validation), as a coded error; else null.
 */
export function shapeProblem(
  document: DocumentNode,
  listDefaults: ReadonlyMap<string, number>,
  limits: GraphQLLimits = defaultGraphQLLimits,
): PlatformError | null {
  const fragments = fragmentsOf(document);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const found = measureOperation(definition, fragments, {}, listDefaults);
    if (found.depth > limits.maximumDepth) {
      return graphqlErrors.limitExceeded(
        'QUERY_TOO_DEEP',
        `The query is ${found.depth} fields deep; the depth limit is ${limits.maximumDepth}.`,
        'Ask for fewer nested fields, or split the query into several.',
      );
    }
    if (found.aliases > limits.maximumAliases) {
      return graphqlErrors.limitExceeded(
        'QUERY_TOO_MANY_ALIASES',
        `The query uses ${found.aliases} aliases; the alias limit is ${limits.maximumAliases}.`,
        'Use fewer aliases, or send several requests.',
      );
    }
  }
  return null;
}

/**
 * The cost limit the operation to execute exceeds with these variables (a `limit` given as a
 * variable counts its value), as a coded error; else null.
 */
export function costProblem(
  document: DocumentNode,
  operation: {
    name?: string | null | undefined;
    variables?: Readonly<Record<string, unknown>> | null | undefined;
  },
  listDefaults: ReadonlyMap<string, number>,
  limits: GraphQLLimits = defaultGraphQLLimits,
): PlatformError | null {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const definition = operation.name
    ? operations.find((candidate) => candidate.name?.value === operation.name)
    : operations[0];
  if (!definition) return null;
  const found = measureOperation(definition, fragmentsOf(document), operation.variables ?? {}, listDefaults);
  if (found.cost <= limits.maximumCost) return null;
  return graphqlErrors.limitExceeded(
    'QUERY_TOO_COSTLY',
    `The query's estimated cost is ${found.cost}; the cost limit is ${limits.maximumCost}.`,
    "Lower the 'limit' of nested lists or ask for fewer fields; each field counts once per item of the lists around it.",
  );
}
