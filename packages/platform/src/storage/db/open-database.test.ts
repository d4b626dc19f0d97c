import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.ts';

async function failureOf(outcome: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await outcome;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('Expected the promise to reject.');
}

describe('openDatabase', () => {
  it("opens in-memory PGlite for 'memory://' when no DATABASE_URL is set", async () => {
    const database = await openDatabase({ dataDirectory: 'memory://', databaseUrl: '' });
    try {
      expect(database.backend).toBe('pglite');
      await database.ping();
    } finally {
      await database.close();
    }
  });

  it('refuses a DATABASE_URL that is not postgres:// or postgresql://, without repeating it', async () => {
    const outcome = openDatabase({ databaseUrl: 'mysql://root:hunter2@db/app', dataDirectory: 'memory://' });
    await expect(outcome).rejects.toThrow(/DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    await expect(outcome).rejects.not.toThrow(/hunter2/);
    await expect(openDatabase({ databaseUrl: 'not a url', dataDirectory: 'memory://' })).rejects.toThrow(
      /DATABASE_URL is not a valid URL/,
    );
  });

  it('names host, port and database, never the password, when PostgreSQL is unreachable', async () => {
    const failure = await failureOf(
      openDatabase({
        databaseUrl: 'postgresql://app:hunter2@127.0.0.1:1/ledger',
        dataDirectory: 'memory://',
      }),
    );
    expect(failure.message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/ledger: /);
    expect(failure.message).not.toContain('hunter2');
    expect(failure.code).toBe('08001');
  });
});
