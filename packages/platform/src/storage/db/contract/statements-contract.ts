import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../database-error.ts';
import { type DatabaseFactory, uniqueTableName, useMigratedDatabase } from './database-under-test.ts';

/** Statements: errors, bulk inserts, row counts, scripts, ping and close. */
export function describeStatementContract(factory: DatabaseFactory): void {
  describe('statements', () => {
    const database = useMigratedDatabase(factory);

    it('report a failing statement with Postgres’s message and SQLSTATE, without the parameters', async () => {
      const table = uniqueTableName('unique');
      await database().query(`CREATE TABLE ${table} (id text CONSTRAINT ${table}_key PRIMARY KEY)`);
      await database().query(`INSERT INTO ${table} VALUES ($1)`, ['secret-value']);
      const failure = await database()
        .query(`INSERT INTO ${table} VALUES ($1)`, ['secret-value'])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseError);
      expect(failure).toMatchObject({
        code: '23505',
        constraint: `${table}_key`,
        table,
        message: expect.stringContaining('duplicate key value violates unique constraint'),
      });
      expect(Object.keys(failure as object)).not.toContain('params');

      await expect(database().query('SELEC 1')).rejects.toMatchObject({
        code: '42601',
        message: expect.stringContaining('syntax error'),
      });
      await expect(database().query('SELECT 1/0 AS x WHERE $1', [true])).rejects.toMatchObject({
        code: '22012',
      });
    });

    it('insert 500 rows × 20 parameters in one statement', async () => {
      const table = uniqueTableName('bulk');
      const columns = Array.from({ length: 20 }, (_, index) => `c${index}`);
      await database().query(
        `CREATE TABLE ${table} (${columns.map((column) => `${column} text`).join(', ')})`,
      );
      const params: string[] = [];
      const tuples: string[] = [];
      for (let row = 0; row < 500; row += 1) {
        const placeholders = columns.map((_, column) => {
          params.push(`r${row}c${column}`);
          return `$${params.length}`;
        });
        tuples.push(`(${placeholders.join(', ')})`);
      }
      const insert = await database().query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
        params,
      );
      expect(insert.rowCount).toBe(500);
      const check = await database().query(
        `SELECT count(*)::int AS count, max(c19) FILTER (WHERE c0 = 'r499c0') AS last FROM ${table}`,
      );
      expect(check.rows).toEqual([{ count: 500, last: 'r499c19' }]);
    });

    it('count rows for INSERT, UPDATE, DELETE, SELECT and DDL alike', async () => {
      const table = uniqueTableName('counts');
      const create = await database().query(`CREATE TABLE ${table} (id int PRIMARY KEY, value int)`);
      expect(create.rowCount).toBe(0);
      const insert = await database().query(`INSERT INTO ${table} VALUES (1, 0), (2, 0), (3, 0)`);
      expect(insert.rowCount).toBe(3);
      const update = await database().query(`UPDATE ${table} SET value = $1 WHERE id > $2`, [5, 1]);
      expect(update.rowCount).toBe(2);
      const none = await database().query(`UPDATE ${table} SET value = 0 WHERE id > $1`, [99]);
      expect(none.rowCount).toBe(0);
      const returning = await database().query(`DELETE FROM ${table} WHERE id = $1 RETURNING id`, [3]);
      expect(returning).toEqual({ rows: [{ id: 3 }], rowCount: 1 });
      const select = await database().query(`SELECT * FROM ${table} ORDER BY id`);
      expect(select.rowCount).toBe(2);
      expect(select.rows).toEqual([
        { id: 1, value: 0 },
        { id: 2, value: 5 },
      ]);
    });

    it('run a parameterless script of several statements, returning the last one’s result', async () => {
      const table = uniqueTableName('script');
      const result = await database().query(`
        CREATE TABLE ${table} (id int);
        INSERT INTO ${table} VALUES (1), (2);
        UPDATE ${table} SET id = id + 10;
        SELECT id FROM ${table} ORDER BY id;`);
      expect(result).toEqual({ rows: [{ id: 11 }, { id: 12 }], rowCount: 2 });
      const update = await database().query(`SELECT 1; DELETE FROM ${table} WHERE id = 11`);
      expect(update).toEqual({ rows: [], rowCount: 1 });
    });

    it('answer ping', async () => {
      await expect(database().ping()).resolves.toBeUndefined();
    });

    it('report their connections: one in use in a transaction is not idle, on every derived handle', async () => {
      await database().ping();
      const settled = database().connections();
      expect(settled.total).toBeGreaterThanOrEqual(1);
      expect(settled.total).toBeLessThanOrEqual(settled.maximum);
      expect(settled.idle).toBeLessThanOrEqual(settled.total);
      expect(settled.waiting).toBe(0);
      const during = await database().transaction(async (transaction) => {
        await transaction.query('SELECT 1');
        return database().isolated().connections();
      });
      expect(during.total - during.idle).toBeGreaterThanOrEqual(1);
    });
  });

  describe('closing', () => {
    it('lets in-flight statements finish, is idempotent, and refuses later calls', async () => {
      const underTest = await factory();
      const { database } = underTest;
      try {
        const slow = database.query<{ done: number }>('SELECT 1 AS done FROM pg_sleep(0.05)');
        await Promise.resolve();
        const closing = [database.close(), database.close()];
        await expect(slow).resolves.toMatchObject({ rows: [{ done: 1 }] });
        await Promise.all(closing);
        await database.close();
        await expect(database.query('SELECT 1')).rejects.toThrow(/closed/);
        await expect(database.transaction(async () => undefined)).rejects.toThrow(/closed/);
        await expect(database.ping()).rejects.toThrow(/closed/);
      } finally {
        await underTest.cleanup();
      }
    });
  });
}
