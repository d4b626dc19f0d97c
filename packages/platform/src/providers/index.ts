export { catalogPrices, createProviders, type ProviderDependencies } from './registry.ts';
export { traceProvider } from './traced-provider.ts';
