export { catalogPrices, createProviders, type ProviderDependencies } from './registry.ts';
