import type { BenchmarkPlan } from '../benchmark-plan.ts';
import { withScratchDatabase } from '../support/scratch-database.ts';
import { withScratchRedis } from '../support/scratch-redis.ts';
import type { PlatformOptions } from './platform.ts';

/**
 * Runs `use` with the options of the platform on PostgreSQL (a scratch database), and on Redis as
 * well when the plan has BENCH_REDIS_URL (a scratch database index): the scaled-out deployment,
 * where limits, budgets and the cache live in Redis.
 */
export function withPlatformOnPostgres<Result>(
  plan: Pick<BenchmarkPlan, 'postgresUrl' | 'redisUrl'>,
  use: (options: PlatformOptions & { name: string }) => Promise<Result>,
): Promise<Result> {
  const { postgresUrl, redisUrl } = plan;
  if (!postgresUrl) throw new Error('the platform on PostgreSQL needs BENCH_POSTGRES_URL');
  return withScratchDatabase(postgresUrl, (databaseUrl) => {
    if (!redisUrl) {
      return use({ databaseUrl, key: 'platform-postgres', name: 'Kimi Platform (PostgreSQL)' });
    }
    return withScratchRedis(redisUrl, (scratchRedisUrl) =>
      use({
        databaseUrl,
        redisUrl: scratchRedisUrl,
        key: 'platform-postgres',
        name: 'Kimi Platform (PostgreSQL + Redis)',
      }),
    );
  });
}
