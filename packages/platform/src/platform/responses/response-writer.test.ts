import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from '../../storage/db/index.ts';
import type { StoredResponse } from './response-repository.ts';
import { createResponseWriter } from './response-writer.ts';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
  await database.query(`INSERT INTO organizations (id, name) VALUES ('org_a', 'A'), ('org_b', 'B')`);
});

afterAll(async () => {
  await database.close();
});

function stored(id: string, organizationId: string): StoredResponse {
  const createdAt = Date.now();
  return {
    organizationId,
    apiKeyId: `key_${organizationId}`,
    inputItems: [
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'Hi' }],
        id: 'msg_1',
        status: 'completed',
      },
    ],
    expiresAt: createdAt + 86_400_000,
    state: {
      id,
      model: 'sim/fast',
      status: 'completed',
      createdAt,
      completedAt: createdAt,
      parameters: { previous_response_id: null } as StoredResponse['state']['parameters'],
      output: [],
      usage: null,
      error: null,
      incompleteDetails: null,
    },
  };
}

async function rowsOf(organizationId: string): Promise<string[]> {
  const result = await database.query<{ id: string }>(
    'SELECT id FROM responses WHERE organization_id = $1 ORDER BY id',
    [organizationId],
  );
  return result.rows.map((row) => row.id);
}

describe('the stored-response writer (group commit)', () => {
  it('commits each row before its write resolves, grouping concurrent writes per organisation', async () => {
    const writer = createResponseWriter(database);
    const statements: string[] = [];
    const counted = new Proxy(database, {
      get(target, property, receiver) {
        if (property !== 'forOrganization') return Reflect.get(target, property, receiver);
        return (organizationId: string) => {
          statements.push(organizationId);
          return target.forOrganization(organizationId);
        };
      },
    });
    const grouped = createResponseWriter(counted);
    await writer.write(stored('resp_first', 'org_a'));
    expect(await rowsOf('org_a')).toEqual(['resp_first']);

    const writes = [
      ...Array.from({ length: 6 }, (_, index) => grouped.write(stored(`resp_a${index}`, 'org_a'))),
      ...Array.from({ length: 4 }, (_, index) => grouped.write(stored(`resp_b${index}`, 'org_b'))),
    ];
    await Promise.all(writes);
    expect(await rowsOf('org_a')).toEqual([
      'resp_a0',
      'resp_a1',
      'resp_a2',
      'resp_a3',
      'resp_a4',
      'resp_a5',
      'resp_first',
    ]);
    expect(await rowsOf('org_b')).toEqual(['resp_b0', 'resp_b1', 'resp_b2', 'resp_b3']);
    // The first write went alone; the nine that queued behind it went as one statement per
    // organisation, each in that organisation's scope (row-level security checks every row).
    expect(statements).toEqual(['org_a', 'org_a', 'org_b']);
  });

  it('fails only the row that is bad, never its neighbours in the batch', async () => {
    const writer = createResponseWriter(database);
    const results = await Promise.allSettled([
      writer.write(stored('resp_lead', 'org_b')),
      writer.write(stored('resp_ok1', 'org_b')),
      writer.write(stored('resp_lead', 'org_b')),
      writer.write(stored('resp_ok2', 'org_b')),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await rowsOf('org_b')).toEqual(expect.arrayContaining(['resp_lead', 'resp_ok1', 'resp_ok2']));
  });
});
