import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costProblem, defaultGraphQLLimits, listFieldDefaults, shapeProblem } from './graphql-limits.ts';

/** A schema with a cycle (a node's children are nodes), where depth is unbounded by the types. */
const schema = buildSchema(`
  type Node { id: ID! children(limit: Int = 10): [Node!]! parent: Node }
  type Query { node(id: ID!): Node nodes(limit: Int = 100): [Node!]! }
`);
const defaults = listFieldDefaults(schema);

const nested = (depth: number) => {
  let selection = 'id';
  // node, then depth - 2 parents, then id: depth fields in all.
  for (let level = 2; level < depth; level++) selection = `parent { ${selection} }`;
  return parse(`{ node(id: "1") { ${selection} } }`);
};

describe('GraphQL limits', () => {
  it('reads the list fields and their default limits from the schema', () => {
    expect(Object.fromEntries(defaults)).toEqual({ children: 10, nodes: 100 });
  });

  it('refuses a query one level deeper than the depth limit, and not the one at it', () => {
    const maximum = defaultGraphQLLimits.maximumDepth;
    expect(shapeProblem(nested(maximum), defaults)).toBeNull();
    expect(shapeProblem(nested(maximum + 1), defaults)?.code).toBe('QUERY_TOO_DEEP');
  });

  it('counts depth through fragments and inline fragments, and survives a fragment cycle', () => {
    const viaFragments = parse(`
      { node(id: "1") { ...A } }
      fragment A on Node { parent { ... on Node { parent { ...B } } } }
      fragment B on Node { parent { parent { parent { parent { parent { parent { id } } } } } } }
    `);
    expect(shapeProblem(viaFragments, defaults)?.code).toBe('QUERY_TOO_DEEP');
    const cycle = parse('{ node(id: "1") { ...A } } fragment A on Node { parent { ...A } }');
    expect(shapeProblem(cycle, defaults)).toBeNull();
  });

  it('multiplies by the limits, from literals, variables or the defaults', () => {
    const document = parse('query Q($n: Int) { nodes(limit: $n) { children { id } } }');
    // 1 + n × (1 + 10 × 1)
    expect(costProblem(document, { variables: { n: 400 } }, defaults)).toBeNull();
    expect(costProblem(document, { variables: { n: 500 } }, defaults)?.code).toBe('QUERY_TOO_COSTLY');
    // An omitted variable counts the default (100): 1 + 100 × 11.
    expect(costProblem(document, { variables: {} }, defaults)).toBeNull();
    const literal = parse('{ nodes(limit: 1000) { children(limit: 10) { id } } }');
    expect(costProblem(literal, {}, defaults)?.message).toContain('11001');
  });

  it('measures a document of many spreads of one fragment without walking it again each time', () => {
    const fragments = Array.from({ length: 30 }, (_, index) =>
      index === 29
        ? 'fragment F29 on Node { id }'
        : `fragment F${index} on Node { ...F${index + 1} ...F${index + 1} }`,
    ).join('\n');
    const document = parse(`{ node(id: "1") { ...F0 } } ${fragments}`);
    // 2^29 fields: refused as costly, and computed at once.
    expect(costProblem(document, {}, defaults)?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('counts aliases and ignores introspection fields', () => {
    const aliases = Array.from({ length: 21 }, (_, index) => `a${index}: node(id: "${index}") { id }`).join(
      ' ',
    );
    expect(shapeProblem(parse(`{ ${aliases} }`), defaults)?.code).toBe('QUERY_TOO_MANY_ALIASES');
    const introspection = parse(
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }',
    );
    expect(shapeProblem(introspection, defaults)).toBeNull();
  });
});
