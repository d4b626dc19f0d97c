import { GraphQLScalarType, type GraphQLSchema, isObjectType } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { Platform } from '../../platform/index.ts';
import { adminResolvers } from './admin-resolvers.ts';
import { adminTypeDefinitions } from './admin-type-definitions.ts';
import { restFieldResolver } from './field-names.ts';
import type { GraphQLContext } from './graphql-context.ts';
import { operationResolvers } from './operation-resolvers.ts';
import { operationTypeDefinitions } from './operation-type-definitions.ts';
import { subscriptionResolvers } from './subscription-resolvers.ts';

/** Any JSON value, passed through as is (variables and literals alike). */
const jsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value, as the REST API shows it (keys inside stay as they are).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => jsonLiteral(node, variables),
});

type ValueNode = Parameters<NonNullable<GraphQLScalarType['parseLiteral']>>[0];

function jsonLiteral(node: ValueNode, variables?: Readonly<Record<string, unknown>> | null): unknown {
  switch (node.kind) {
    case 'StringValue':
    case 'BooleanValue':
      return node.value;
    case 'IntValue':
    case 'FloatValue':
      return Number(node.value);
    case 'NullValue':
      return null;
    case 'ListValue':
      return node.values.map((value) => jsonLiteral(value, variables));
    case 'ObjectValue':
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, jsonLiteral(field.value, variables)]),
      );
    case 'Variable':
      return variables?.[node.name.value];
    default:
      return undefined;
  }
}

function merge(...parts: Record<string, Record<string, unknown>>[]): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...(merged[type] ?? {}), ...fields };
  }
  return merged;
}

/**
 * The executable schema over the platform's services. Fields without their own resolver read
 * the REST serializers' objects by the snake_case name of the field.
 */
export function createGraphQLSchema(platform: Platform): GraphQLSchema {
  const schema = createSchema<GraphQLContext>({
    typeDefs: [adminTypeDefinitions, operationTypeDefinitions],
    resolvers: {
      JSON: jsonScalar,
      ...merge(adminResolvers(platform), operationResolvers(platform), subscriptionResolvers(platform)),
    },
  });
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve ??= restFieldResolver;
  }
  return schema;
}
