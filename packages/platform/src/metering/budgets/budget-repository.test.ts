import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlatformError } from '../../errors/index.ts';
import { type Database, migrateDatabase, openDatabase } from '../../storage/db/index.ts';
import { createApiKey, createOrganization, revokeApiKey } from '../../tenancy/index.ts';
import {
  createBudget,
  deleteBudget,
  findBudget,
  ledgerLevelOf,
  listBudgets,
  updateBudget,
} from './budget-repository.ts';

let database: Database;
let organizationId: string;
let keyId: string;
let otherKeyId: string;
const now = Date.parse('2026-11-24T12:00:00Z');

beforeAll(async () => {
  database = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(database);
  organizationId = (await createOrganization(database, { name: 'budgets' })).id;
  keyId = (await createApiKey(database, { organizationId, name: 'k', role: 'developer' })).apiKey.id;
  const other = await createOrganization(database, { name: 'other' });
  otherKeyId = (await createApiKey(database, { organizationId: other.id, name: 'k', role: 'developer' }))
    .apiKey.id;
});

afterAll(async () => {
  await database.close();
});

async function refusal(
  promise: Promise<unknown>,
): Promise<{ status: number; param: string | null; code: string }> {
  try {
    await promise;
  } catch (error) {
    if (isPlatformError(error)) return { status: error.status, param: error.param, code: error.code };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('budget repository', () => {
  it('creates budgets for the organisation, its keys and end users, starting the ledger at the current period', async () => {
    const organization = await createBudget(
      database,
      organizationId,
      { scope: 'organization', subject: organizationId, limitUsd: '100', period: 'month' },
      now,
    );
    expect(organization).toMatchObject({
      scope: 'organization',
      limitUsd: '100',
      alertThresholds: [50, 80, 100],
      spentUsd: '0',
      periodStart: new Date('2026-11-01T00:00:00Z'),
    });
    const key = await createBudget(
      database,
      organizationId,
      { scope: 'api_key', subject: keyId, limitUsd: '0.000000001', period: 'day', alertThresholds: [90] },
      now,
    );
    expect(key).toMatchObject({ limitUsd: '0.000000001', periodStart: new Date('2026-11-24T00:00:00Z') });
    const user = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'user-42@example.com', limitUsd: '5', period: 'total' },
      now,
    );
    expect(user.periodStart).toEqual(new Date(0));
    expect(
      (await listBudgets(database, organizationId, { limit: 10 })).map((budget) => budget.id).sort(),
    ).toEqual([organization.id, key.id, user.id].sort());
    expect(await listBudgets(database, organizationId, { limit: 10, scope: 'end_user' })).toHaveLength(1);
  });

  it('refuses subjects that are not the organisation’s, naming subject, and duplicates with 409', async () => {
    const cases = [
      { scope: 'organization' as const, subject: 'org_someone_else' },
      { scope: 'api_key' as const, subject: otherKeyId },
      { scope: 'api_key' as const, subject: 'key_missing' },
      { scope: 'end_user' as const, subject: 'x'.repeat(257) },
    ];
    for (const input of cases) {
      expect(
        await refusal(
          createBudget(database, organizationId, { ...input, limitUsd: '1', period: 'day' }, now),
        ),
      ).toMatchObject({ status: 400, param: 'subject' });
    }
    const revoked = (await createApiKey(database, { organizationId, name: 'gone', role: 'developer' }))
      .apiKey;
    await revokeApiKey(database, organizationId, revoked.id);
    expect(
      await refusal(
        createBudget(
          database,
          organizationId,
          { scope: 'api_key', subject: revoked.id, limitUsd: '1', period: 'day' },
          now,
        ),
      ),
    ).toMatchObject({ param: 'subject' });
    expect(
      await refusal(
        createBudget(
          database,
          organizationId,
          { scope: 'end_user', subject: 'user-42@example.com', limitUsd: '1', period: 'day' },
          now,
        ),
      ),
    ).toEqual({ status: 409, param: 'subject', code: 'BUDGET_ALREADY_EXISTS' });
  });

  it('updates limits, thresholds and periods; a new period restarts the ledger', async () => {
    const budget = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'updater', limitUsd: '10', period: 'month' },
      now,
    );
    await database.query('UPDATE budgets SET spent_usd = 7.5 WHERE id = $1', [budget.id]);
    const raised = await updateBudget(
      database,
      organizationId,
      budget.id,
      { limitUsd: '20', alertThresholds: [25, 75] },
      now,
    );
    expect(raised).toMatchObject({
      limitUsd: '20',
      alertThresholds: [25, 75],
      spentUsd: '7.5',
      period: 'month',
    });
    const samePeriod = await updateBudget(database, organizationId, budget.id, { period: 'month' }, now);
    expect(samePeriod?.spentUsd).toBe('7.5');
    const daily = await updateBudget(database, organizationId, budget.id, { period: 'day' }, now);
    expect(daily).toMatchObject({
      period: 'day',
      spentUsd: '0',
      periodStart: new Date('2026-11-24T00:00:00Z'),
    });
    expect(await updateBudget(database, 'org_other', budget.id, { limitUsd: '1' }, now)).toBeNull();
  });

  it('reports the stored spend only for the current period', async () => {
    const budget = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'ledger', limitUsd: '10', period: 'day' },
      now,
    );
    await database.query('UPDATE budgets SET spent_usd = 3.25, reserved_usd = 0.5 WHERE id = $1', [
      budget.id,
    ]);
    const stored = (await findBudget(database, organizationId, budget.id))!;
    expect(ledgerLevelOf(stored, now)).toEqual({ spentUsd: '3.25', reservedUsd: '0.5' });
    expect(ledgerLevelOf(stored, Date.parse('2026-11-25T00:00:00Z'))).toEqual({
      spentUsd: '0',
      reservedUsd: '0',
    });
  });

  it('soft-deletes, after which the subject can have a new budget', async () => {
    const budget = await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'deleted', limitUsd: '1', period: 'day' },
      now,
    );
    expect(await deleteBudget(database, 'org_other', budget.id)).toBeNull();
    expect((await deleteBudget(database, organizationId, budget.id))?.id).toBe(budget.id);
    expect(await deleteBudget(database, organizationId, budget.id)).toBeNull();
    expect(await findBudget(database, organizationId, budget.id)).toBeNull();
    const row = await database.query('SELECT deleted_at FROM budgets WHERE id = $1', [budget.id]);
    expect(row.rowCount).toBe(1);
    await createBudget(
      database,
      organizationId,
      { scope: 'end_user', subject: 'deleted', limitUsd: '2', period: 'day' },
      now,
    );
  });
});
