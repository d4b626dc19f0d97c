export {
  type CachePolicyChange,
  type CachePolicyView,
  type CacheServices,
  type CacheServicesDependencies,
  type CacheStatistics,
  createCacheServices,
} from './cache-services.ts';
