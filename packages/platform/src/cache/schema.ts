/** The light entry the config file composes: schemas only, none of the cache's code. */
export { type CacheConfig, cacheConfigSchema } from './cache-config-schema.ts';
