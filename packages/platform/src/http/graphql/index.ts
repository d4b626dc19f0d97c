export { defaultGraphQLLimits, type GraphQLLimits } from './graphql-limits.ts';
export { registerGraphQLSurface } from './graphql-surface.ts';
