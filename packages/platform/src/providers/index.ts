export { createProviders } from './registry.ts';
export type * from './spec/index.ts';
