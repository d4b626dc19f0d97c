export { catalogPrices, createProviders, type ProviderDependencies } from './registry.ts';
export type * from './spec/index.ts';
