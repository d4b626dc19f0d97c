import pg from 'pg';
import { onCleanup } from './cleanup.ts';
import { assertLoopbackUrl } from './loopback-check.ts';

async function administer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates a scratch database beside the one `url` names (same server and credentials), runs
 * `use` with its URL, and drops it afterwards whatever happens. The server must be on loopback.
 */
export async function withScratchDatabase<Result>(
  url: string,
  use: (scratchUrl: string) => Promise<Result>,
): Promise<Result> {
  const parsed = new URL(url);
  assertLoopbackUrl('BENCH_POSTGRES_URL', parsed);
  const scratch = `kimi_bench_${process.pid}`;
  await administer(url, `CREATE DATABASE ${scratch}`);
  const drop = () => administer(url, `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  // On Ctrl-C the database is dropped too, after the platform using it has been killed.
  const forget = onCleanup({ later: drop });
  try {
    parsed.pathname = `/${scratch}`;
    return await use(parsed.toString());
  } finally {
    forget();
    await drop();
  }
}
