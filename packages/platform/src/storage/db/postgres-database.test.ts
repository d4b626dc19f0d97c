import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemporaryDatabase,
  postgresAvailable,
  type TemporaryDatabase,
} from '../../../test/support/services.ts';
import { runDatabaseContract } from './database.contract.ts';
import type { Database } from './database.ts';
import { openDatabase } from './open-database.ts';
import { createPostgresDatabase } from './postgres-database.ts';

async function failureOf(outcome: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await outcome;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('Expected the promise to reject.');
}

const postgres = await postgresAvailable();

describe.runIf(postgres)('PostgreSQL', () => {
  runDatabaseContract('PostgreSQL', async () => {
    const temporary = await createTemporaryDatabase();
    const database = createPostgresDatabase({ url: temporary.url, poolSize: 5 });
    return {
      database,
      openAnother: async () => createPostgresDatabase({ url: temporary.url, poolSize: 2 }),
      cleanup: async () => {
        await database.close();
        await temporary.drop();
      },
    };
  });

  describe('connections', () => {
    let temporary: TemporaryDatabase;
    beforeAll(async () => {
      temporary = await createTemporaryDatabase();
    });
    afterAll(async () => {
      await temporary.drop();
    });

    it('survives the server ending idle pooled connections, reports them, and reconnects', async () => {
      const applicationName = `kimi-idle-${process.pid}`;
      const reported: Error[] = [];
      const database = createPostgresDatabase({
        url: temporary.url,
        applicationName,
        onConnectionError: (error) => reported.push(error),
      });
      const observer: Database = createPostgresDatabase({ url: temporary.url, poolSize: 1 });
      try {
        await Promise.all([database.ping(), database.ping(), database.ping()]);
        const terminated = await observer.query<{ ended: boolean }>(
          'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        expect(terminated.rows.length).toBeGreaterThan(0);
        const ended = terminated.rows.length;
        for (let attempt = 0; attempt < 100 && reported.length < ended; attempt += 1) await sleep(20);
        expect(reported).toHaveLength(ended);
        await expect(database.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
      } finally {
        await Promise.all([database.close(), observer.close()]);
      }
    });

    it('survives a connection ended mid-transaction: the transaction rejects, the pool recovers', async () => {
      const applicationName = `kimi-busy-${process.pid}`;
      const database = createPostgresDatabase({ url: temporary.url, applicationName, poolSize: 1 });
      const observer = createPostgresDatabase({ url: temporary.url, poolSize: 1 });
      try {
        const outcome = database.transaction(async (transaction) => {
          await transaction.query('SELECT 1');
          await observer.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
            [applicationName],
          );
          await sleep(50);
          await transaction.query('SELECT 1');
        });
        await expect(outcome).rejects.toMatchObject({ name: 'DatabaseError' });
        await expect(database.query('SELECT 2 AS two')).resolves.toMatchObject({ rows: [{ two: 2 }] });
      } finally {
        await Promise.all([database.close(), observer.close()]);
      }
    });

    it('sets application_name and keeps type parsing off the process-wide pg.types', async () => {
      const database = await openDatabase({
        databaseUrl: temporary.url,
        dataDirectory: 'unused',
        applicationName: 'kimi-name-check',
      });
      try {
        expect(database.backend).toBe('postgres');
        const result = await database.query('SELECT current_setting($1) AS name, 1::int8 AS big', [
          'application_name',
        ]);
        expect(result.rows).toEqual([{ name: 'kimi-name-check', big: 1 }]);
        const pg = (await import('pg')).default;
        expect(pg.types.getTypeParser(20, 'text')('1')).toBe('1');
      } finally {
        await database.close();
      }
    });

    it('names host, port and database, never the password, when the database does not exist', async () => {
      const url = new URL(temporary.url);
      url.pathname = '/kimi_no_such_database';
      url.password = 'hunter2-secret';
      url.username = url.username || 'postgres';
      const failure = await failureOf(openDatabase({ databaseUrl: url.toString(), dataDirectory: 'unused' }));
      expect(failure).toBeInstanceOf(Error);
      expect(failure.message).toContain(`${url.hostname}:${url.port || 5432}/kimi_no_such_database`);
      expect(failure.message).not.toContain('hunter2');
      expect(failure.code).toBe('3D000');
    });
  });
});
