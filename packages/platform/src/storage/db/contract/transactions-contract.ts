import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../database.ts';
import { DatabaseError } from '../database-error.ts';
import { type DatabaseFactory, uniqueTableName, useMigratedDatabase } from './database-under-test.ts';

/** Transactions: commit, rollback, isolation from concurrent callers, swallowed failures. */
export function describeTransactionContract(factory: DatabaseFactory): void {
  describe('transactions', () => {
    const database = useMigratedDatabase(factory);

    async function createTable(prefix: string): Promise<string> {
      const table = uniqueTableName(prefix);
      await database().query(`CREATE TABLE ${table} (id text PRIMARY KEY, value int NOT NULL DEFAULT 0)`);
      return table;
    }

    async function ids(table: string): Promise<string[]> {
      const result = await database().query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`);
      return result.rows.map((row) => row.id);
    }

    it('commit when the callback resolves, returning its value', async () => {
      const table = await createTable('commit');
      const returned = await database().transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1), ($2)`, ['a', 'b']);
        const inside = await transaction.query(`SELECT count(*)::int AS count FROM ${table}`);
        return inside.rows[0];
      });
      expect(returned).toEqual({ count: 2 });
      expect(await ids(table)).toEqual(['a', 'b']);
    });

    it('roll back when the callback throws, rejecting with that very error', async () => {
      const table = await createTable('rollback');
      const thrown = new Error('caller failure');
      const outcome = database().transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['written']);
        throw thrown;
      });
      await expect(outcome).rejects.toBe(thrown);
      expect(await ids(table)).toEqual([]);
    });

    it('never let a concurrent plain query run inside another caller’s transaction', async () => {
      const table = await createTable('isolation');
      const transaction = database().transaction(async (inner) => {
        await inner.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['inside']);
        await sleep(50);
        throw new Error('roll this back');
      });
      await sleep(5);
      const outside = database().query(`INSERT INTO ${table} (id) VALUES ($1)`, ['outside']);
      await expect(transaction).rejects.toThrow('roll this back');
      await outside;
      expect(await ids(table)).toEqual(['outside']);
    });

    it('serialise 20 parallel read-modify-write transactions (SELECT … FOR UPDATE)', async () => {
      const table = await createTable('counter');
      await database().query(`INSERT INTO ${table} (id, value) VALUES ('counter', 0)`);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          database().transaction(async (transaction) => {
            const current = await transaction.query<{ value: number }>(
              `SELECT value FROM ${table} WHERE id = 'counter' FOR UPDATE`,
            );
            await sleep(1);
            await transaction.query(`UPDATE ${table} SET value = $1 WHERE id = 'counter'`, [
              (current.rows[0]?.value ?? 0) + 1,
            ]);
          }),
        ),
      );
      const result = await database().query(`SELECT value FROM ${table}`);
      expect(result.rows).toEqual([{ value: 20 }]);
    });

    it('reject with 25P02 and write nothing when the callback swallowed a failed statement', async () => {
      const table = await createTable('swallowed');
      const outcome = database().transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['first']);
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['first']).catch(() => undefined);
        return 'looked fine';
      });
      await expect(outcome).rejects.toMatchObject({ name: 'DatabaseError', code: '25P02' });
      expect(await ids(table)).toEqual([]);
    });

    it('commit after a failure the callback recovered from with ROLLBACK TO SAVEPOINT', async () => {
      const table = await createTable('savepoint');
      await database().transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['kept']);
        await transaction.query('SAVEPOINT attempt');
        await expect(
          transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['kept']),
        ).rejects.toMatchObject({
          code: '23505',
        });
        await transaction.query('ROLLBACK TO SAVEPOINT attempt');
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['also kept']);
      });
      expect(await ids(table)).toEqual(['also kept', 'kept']);
    });

    it('propagate a failing statement as a DatabaseError with its SQLSTATE', async () => {
      const table = await createTable('failing');
      const outcome = database().transaction(async (transaction) => {
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['x']);
        await transaction.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['x']);
      });
      await expect(outcome).rejects.toBeInstanceOf(DatabaseError);
      await expect(outcome).rejects.toMatchObject({ code: '23505' });
      expect(await ids(table)).toEqual([]);
    });

    it('refuse statements on a transaction that has ended', async () => {
      let escaped: Queryable | undefined;
      await database().transaction(async (transaction) => {
        escaped = transaction;
      });
      await expect(escaped!.query('SELECT 1')).rejects.toThrow(/already ended/);
    });
  });
}
