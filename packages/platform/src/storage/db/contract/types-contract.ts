import { describe, expect, it } from 'vitest';
import { type DatabaseFactory, uniqueTableName, useMigratedDatabase } from './database-under-test.ts';

/** Result types: every JS type database.ts promises, identical on both backends. */
export function describeTypeContract(factory: DatabaseFactory): void {
  describe('result types', () => {
    const database = useMigratedDatabase(factory);

    it('normalise int4, int8/bigserial, float8, bool, timestamptz, jsonb, text[] and null', async () => {
      const table = uniqueTableName('types');
      await database().query(`
        CREATE TABLE ${table} (
          id bigserial PRIMARY KEY,
          count int4, total int8, ratio float8, flag bool, at timestamptz,
          document jsonb, list jsonb, tags text[], missing_tags text[], note text
        )`);
      const at = new Date('2024-02-29T23:59:59.123Z');
      await database().query(
        `INSERT INTO ${table} (count, total, ratio, flag, at, document, list, tags, missing_tags, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          -42,
          9_007_199_254_740_991,
          0.1,
          true,
          at,
          JSON.stringify({ name: 'x', nested: { values: [1, 'two', null] } }),
          JSON.stringify([1, 'two', { three: 3 }]),
          ['a', 'b c'],
          null,
          null,
        ],
      );
      const result = await database().query(`SELECT * FROM ${table}`);
      expect(result.rows).toEqual([
        {
          id: 1,
          count: -42,
          total: 9_007_199_254_740_991,
          ratio: 0.1,
          flag: true,
          at,
          document: { name: 'x', nested: { values: [1, 'two', null] } },
          list: [1, 'two', { three: 3 }],
          tags: ['a', 'b c'],
          missing_tags: null,
          note: null,
        },
      ]);
      const row = result.rows[0]!;
      expect(typeof row.id).toBe('number');
      expect(row.at).toBeInstanceOf(Date);
    });

    it('keep numeric(24,12) exact as strings, also across a sum of many small values', async () => {
      const table = uniqueTableName('numeric');
      await database().query(`CREATE TABLE ${table} (cost numeric(24, 12) NOT NULL)`);
      await database().query(`INSERT INTO ${table} (cost) VALUES ($1)`, ['0.000000000001']);
      const tiny = await database().query<{ cost: string }>(`SELECT cost FROM ${table}`);
      expect(tiny.rows).toEqual([{ cost: '0.000000000001' }]);

      await database().query(
        `INSERT INTO ${table} (cost) SELECT 0.000000000001 FROM generate_series(1, 9999)`,
      );
      await database().query(`INSERT INTO ${table} (cost) VALUES ($1), ($2)`, [
        0.1,
        '123456789012.123456789012',
      ]);
      const sum = await database().query<{ total: string; count: number }>(
        `SELECT sum(cost) AS total, count(*) AS count FROM ${table}`,
      );
      expect(sum.rows).toEqual([{ total: '123456789012.223456799012', count: 10_002 }]);
    });

    it('agree on the types database.ts does not list (arrays, date, interval, uuid, bytea)', async () => {
      const result = await database().query(`
        SELECT ARRAY[1, 9007199254740991]::int8[] AS int8_list,
               ARRAY[1.50, 0.000000000001]::numeric[] AS numeric_list,
               ARRAY[1, NULL]::int4[] AS int4_list,
               ARRAY[true, false] AS bool_list,
               ARRAY['2024-01-02T03:04:05Z'::timestamptz] AS time_list,
               ARRAY['{"a": 1}'::jsonb] AS json_list,
               ARRAY['x,y', 'q"uote', NULL]::text[] AS text_list,
               '2024-01-02'::date AS day,
               '2024-01-02 03:04:05.5'::timestamp AS local_time,
               interval '1 day 02:03:04' AS span,
               '6b1f2e5c-0a4d-4b8e-9f00-1234567890ab'::uuid AS identifier,
               '\\x00ff10'::bytea AS bytes,
               2::int2 AS small, 1.5::float4 AS single, 7::numeric AS whole,
               NULL::int AS nothing`);
      const row = result.rows[0]!;
      expect({ ...row, bytes: undefined }).toEqual({
        int8_list: [1, 9_007_199_254_740_991],
        numeric_list: ['1.50', '0.000000000001'],
        int4_list: [1, null],
        bool_list: [true, false],
        time_list: [new Date('2024-01-02T03:04:05Z')],
        json_list: [{ a: 1 }],
        text_list: ['x,y', 'q"uote', null],
        day: '2024-01-02',
        local_time: '2024-01-02 03:04:05.5',
        span: '1 day 02:03:04',
        identifier: '6b1f2e5c-0a4d-4b8e-9f00-1234567890ab',
        bytes: undefined,
        small: 2,
        single: 1.5,
        whole: '7',
        nothing: null,
      });
      expect(row.bytes).toBeInstanceOf(Uint8Array);
      expect([...(row.bytes as Uint8Array)]).toEqual([0, 255, 16]);
    });

    it('run sessions in UTC, so date arithmetic agrees between backends', async () => {
      const result = await database().query<{ zone: string; day: string }>(
        `SELECT current_setting('TimeZone') AS zone, date_trunc('day', $1::timestamptz)::text AS day`,
        [new Date('2024-03-10T23:30:00Z')],
      );
      expect(result.rows[0]?.day).toBe('2024-03-10 00:00:00+00');
      expect(['UTC', 'Etc/UTC']).toContain(result.rows[0]?.zone);
    });
  });
}
