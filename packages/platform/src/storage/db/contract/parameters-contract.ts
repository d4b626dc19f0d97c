import { describe, expect, it } from 'vitest';
import { type DatabaseFactory, uniqueTableName, useMigratedDatabase } from './database-under-test.ts';

const awkwardText = `it's "quoted", back\\slash, {braces}, comma, tab\tnew\nline, ümlaut, 中文, emoji 😀, NULL`;

function binaryishText(): string {
  let text = '';
  for (let code = 1; code < 0x300; code += 1) text += String.fromCharCode(code);
  return `${text}\u{10FFFF}\uFFFD`;
}

/** Parameter binding: what callers may pass, accepted identically by both backends. */
export function describeParameterContract(factory: DatabaseFactory): void {
  describe('parameter binding', () => {
    const database = useMigratedDatabase(factory);

    it('round-trips strings with quotes, unicode and every non-NUL character', async () => {
      const binaryish = binaryishText();
      const result = await database().query<{ awkward: string; binaryish: string; empty: string }>(
        'SELECT $1::text AS awkward, $2::text AS binaryish, $3::text AS empty',
        [awkwardText, binaryish, ''],
      );
      expect(result.rows).toEqual([{ awkward: awkwardText, binaryish, empty: '' }]);
    });

    it('binds numbers, bigints and booleans to typed columns and to text', async () => {
      const result = await database().query(
        `SELECT $1::int4 AS count, $2::int8 AS total, $3::float8 AS ratio, $4::numeric AS amount,
                $5::int8 AS big, $6::bool AS yes, $7::bool AS no, $8::text AS flag_text, $9::text AS number_text`,
        [-7, 2 ** 53 - 1, 1234.5678, 0.1, 12_345_678_901n, true, false, true, 1e-12],
      );
      expect(result.rows).toEqual([
        {
          count: -7,
          total: 2 ** 53 - 1,
          ratio: 1234.5678,
          amount: '0.1',
          big: 12_345_678_901,
          yes: true,
          no: false,
          flag_text: 'true',
          number_text: '1e-12',
        },
      ]);
    });

    it('binds a Date as an instant (to timestamptz and to text alike)', async () => {
      const at = new Date('2024-07-01T12:34:56.789Z');
      const result = await database().query<{ at: Date; text: string; untyped: string }>(
        'SELECT $1::timestamptz AS at, $2::text AS text, $3 AS untyped',
        [at, at, at],
      );
      expect(result.rows[0]?.at.getTime()).toBe(at.getTime());
      expect(result.rows[0]?.text).toBe('2024-07-01T12:34:56.789Z');
      expect(result.rows[0]?.untyped).toBe('2024-07-01T12:34:56.789Z');
    });

    it('binds null and undefined as NULL', async () => {
      const result = await database().query('SELECT $1::text AS a, $2::int AS b, $3::jsonb AS c', [
        null,
        undefined,
        null,
      ]);
      expect(result.rows).toEqual([{ a: null, b: null, c: null }]);
    });

    it('binds string arrays as text[] (quotes, commas, braces, NULL, empty) and works with ANY', async () => {
      const values = ['plain', 'with,comma', 'with "quote"', 'back\\slash', '{brace}', '', null, 'NULL'];
      const result = await database().query<{ list: (string | null)[]; empty: string[]; size: number }>(
        'SELECT $1::text[] AS list, $2::text[] AS empty, cardinality($1::text[]) AS size',
        [values, []],
      );
      expect(result.rows).toEqual([{ list: values, empty: [], size: values.length }]);

      const table = uniqueTableName('arrays');
      await database().query(`CREATE TABLE ${table} (name text, tags text[])`);
      await database().query(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4)`, ['a', ['x', 'y'], 'b', null]);
      const matches = await database().query(`SELECT name FROM ${table} WHERE name = ANY($1) ORDER BY name`, [
        ['a', 'b', 'c'],
      ]);
      expect(matches.rows).toEqual([{ name: 'a' }, { name: 'b' }]);
      const stored = await database().query(`SELECT tags FROM ${table} ORDER BY name`);
      expect(stored.rows).toEqual([{ tags: ['x', 'y'] }, { tags: null }]);
    });

    it('binds number arrays and nested arrays', async () => {
      const result = await database().query('SELECT $1::int4[] AS flat, $2::int4[] AS grid', [
        [1, 2, 3],
        [
          [1, 2],
          [3, 4],
        ],
      ]);
      expect(result.rows).toEqual([
        {
          flat: [1, 2, 3],
          grid: [
            [1, 2],
            [3, 4],
          ],
        },
      ]);
    });

    it('binds JSON passed as JSON.stringify(value), objects and arrays alike', async () => {
      const table = uniqueTableName('json');
      await database().query(`CREATE TABLE ${table} (document jsonb)`);
      const object = { text: awkwardText, list: [1, null, { deep: true }] };
      await database().query(`INSERT INTO ${table} VALUES ($1), ($2), ($3)`, [
        JSON.stringify(object),
        JSON.stringify([1, 'two']),
        JSON.stringify('just a string'),
      ]);
      const result = await database().query(`SELECT document FROM ${table}`);
      expect(result.rows).toEqual([
        { document: object },
        { document: [1, 'two'] },
        { document: 'just a string' },
      ]);
    });

    it('binds bytes as bytea', async () => {
      const bytes = Uint8Array.from([0, 1, 127, 128, 255]);
      const result = await database().query<{ bytes: Uint8Array; size: number }>(
        'SELECT $1::bytea AS bytes, octet_length($1::bytea) AS size',
        [bytes],
      );
      expect([...(result.rows[0]?.bytes ?? [])]).toEqual([...bytes]);
      expect(result.rows[0]?.size).toBe(5);
    });

    it('refuses plain objects, pointing at JSON.stringify', async () => {
      await expect(database().query('SELECT $1::jsonb', [{ a: 1 }])).rejects.toThrow(/JSON\.stringify/);
      await expect(database().query('SELECT $1::timestamptz', [new Date(Number.NaN)])).rejects.toThrow(
        /invalid Date/,
      );
    });
  });
}
