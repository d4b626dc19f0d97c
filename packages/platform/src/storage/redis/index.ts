export { closeRedisClient, createFailFastRedisClient, type FailFastRedisOptions } from './redis-client.ts';
