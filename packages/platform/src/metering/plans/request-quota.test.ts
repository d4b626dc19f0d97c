import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrateDatabase, openDatabase } from '../../storage/db/index.ts';
import { calendarMonthOf, monthlyRequestsUsed } from './request-quota.ts';

let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
});

afterAll(async () => {
  await database.close();
});

async function record(
  requestId: string,
  createdAt: string,
  status: number,
  attempts: number,
  organization = 'org_q',
) {
  await database.query(
    `INSERT INTO usage_records (request_id, organization_id, endpoint, latency_ms, status, attempts, created_at)
     VALUES ($1, $2, 'chat.completions', 1, $3, $4, $5)`,
    [requestId, organization, status, attempts, createdAt],
  );
}

describe('monthly request quota', () => {
  it('counts this UTC month’s served and provider-reaching requests, never refusals', async () => {
    await record('served', '2026-11-01T00:00:00Z', 200, 1);
    await record('cached', '2026-11-10T00:00:00Z', 200, 0);
    await record('upstream-failed', '2026-11-11T00:00:00Z', 502, 3);
    await record('client-closed', '2026-11-12T00:00:00Z', 499, 1);
    await record('over-quota', '2026-11-12T00:00:00Z', 429, 0);
    await record('invalid', '2026-11-12T00:00:00Z', 400, 0);
    await record('not-allowed', '2026-11-12T00:00:00Z', 403, 0);
    await record('last-month', '2026-10-31T23:59:59.999Z', 200, 1);
    await record('next-month', '2026-12-01T00:00:00Z', 200, 1);
    await record('other-organization', '2026-11-05T00:00:00Z', 200, 1, 'org_other');
    expect(await monthlyRequestsUsed(database, 'org_q', Date.parse('2026-11-30T23:59:59Z'))).toBe(4);
    expect(await monthlyRequestsUsed(database, 'org_q', Date.parse('2026-12-01T00:00:00Z'))).toBe(1);
  });

  it('spans calendar months in UTC, leap February included', () => {
    const february = calendarMonthOf(Date.parse('2028-02-29T23:00:00Z'));
    expect(february.start.toISOString()).toBe('2028-02-01T00:00:00.000Z');
    expect(february.end.toISOString()).toBe('2028-03-01T00:00:00.000Z');
  });
});
