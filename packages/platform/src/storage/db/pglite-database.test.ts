import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDatabaseContract } from './database.contract.ts';
import { isMigrated, migrateDatabase } from './migrate.ts';
import { createPgliteDatabase } from './pglite-database.ts';

runDatabaseContract('PGlite in memory', async () => {
  const database = await createPgliteDatabase();
  return { database, cleanup: () => database.close() };
});

describe('PGlite', () => {
  it('keeps data on disk across close and reopen, creating missing parent directories', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kimi-pglite-'));
    const dataDirectory = join(root, 'nested', 'data');
    try {
      const first = await createPgliteDatabase({ dataDirectory });
      await migrateDatabase(first);
      await first.transaction(async (transaction) => {
        await transaction.query('INSERT INTO organizations (id, name, metadata) VALUES ($1, $2, $3)', [
          'org_1',
          'Acme',
          JSON.stringify({ plan: 'team' }),
        ]);
      });
      await first.close();

      const reopened = await createPgliteDatabase({ dataDirectory });
      try {
        expect(await isMigrated(reopened)).toBe(true);
        expect(await migrateDatabase(reopened)).toMatchObject({ applied: [] });
        const rows = await reopened.query('SELECT id, name, metadata FROM organizations');
        expect(rows.rows).toEqual([{ id: 'org_1', name: 'Acme', metadata: { plan: 'team' } }]);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('rejects at once, instead of hanging, when the database is called inside its own transaction', async () => {
    const database = await createPgliteDatabase();
    try {
      const outcome = database.transaction(async () => database.query('SELECT 1'));
      await expect(outcome).rejects.toThrow(/use the transaction argument/);
      const nested = database.transaction(async () => database.transaction(async () => 1));
      await expect(nested).rejects.toThrow(/use the transaction argument/);
      const background: Promise<unknown>[] = [];
      await database.transaction(async () => {
        background.push(
          new Promise((resolve) => setTimeout(resolve, 10)).then(() => database.query('SELECT 1')),
        );
      });
      await expect(Promise.all(background)).resolves.toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('loads pgvector when asked', async () => {
    const database = await createPgliteDatabase({ extensions: 'vector' });
    try {
      await database.query('CREATE EXTENSION IF NOT EXISTS vector');
      await database.query('CREATE TABLE items (id int, embedding vector(3))');
      await database.query('INSERT INTO items VALUES (1, $1), (2, $2)', ['[1,0,0]', '[0,1,0]']);
      const nearest = await database.query<{ id: number; distance: number }>(
        'SELECT id, embedding <-> $1 AS distance FROM items ORDER BY distance LIMIT 1',
        ['[0.9,0.1,0]'],
      );
      expect(nearest.rows[0]?.id).toBe(1);
      expect(typeof nearest.rows[0]?.distance).toBe('number');
    } finally {
      await database.close();
    }
  });
});
