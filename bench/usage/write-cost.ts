/**
 * What the rollup triggers cost the one write on the hot path: the ledger's group-commit INSERT,
 * timed with the insert trigger enabled and disabled (alternating rounds, so drift of a shared
 * machine falls on both), through the real ledger with batches of `batchRecords` records.
 */
import { createUsageLedger, type UsageRecord } from '../../packages/platform/src/metering/index.ts';
import type { Database } from '../../packages/platform/src/storage/db/index.ts';
import { systemClock } from '../../packages/platform/src/support/index.ts';
import { percentile } from '../support/percentiles.ts';

export interface WriteCost {
  batchRecords: number;
  batches: number;
  /** Median milliseconds per batch. */
  withTriggers: number;
  withoutTriggers: number;
}

function record(serial: number, createdAt: Date): UsageRecord {
  const organization = `org_${String(serial % 50).padStart(2, '0')}`;
  const key = (serial * 7) % 20;
  return {
    requestId: `write_cost_${serial}`,
    organizationId: organization,
    apiKeyId: `${organization}_key_${key}`,
    teamId: `${organization}_team_${key % 5}`,
    endUser: null,
    endpoint: 'chat.completions',
    requestedModel: `model-${serial % 8}`,
    provider: 'sim',
    deployment: `model-${serial % 8}`,
    servedModel: `model-${serial % 8}`,
    promptTokens: 100 + (serial % 900),
    completionTokens: serial % 300,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: '0.000123400000',
    priceVersion: 'bench',
    unpriced: false,
    usageSource: 'provider',
    latencyMs: 120,
    timeToFirstTokenMs: null,
    streamed: false,
    status: 200,
    errorCode: null,
    modelGroup: null,
    attempts: 1,
    fallbackReason: null,
    cacheStatus: serial % 4 === 0 ? 'hit-l1' : 'miss',
    cacheSavedUsd: '0',
    createdAt,
  };
}

/** Times `rounds` rounds of `batches` batches each way; `database` must be the schema owner's handle. */
export async function measureWriteCost(
  database: Database,
  options: { batchRecords: number; batches: number; rounds: number },
): Promise<WriteCost> {
  const ledger = createUsageLedger({
    database: database.forPlatform('bench:usage times metering writes'),
    clock: systemClock,
    batchMaxRecords: options.batchRecords,
    queueMaxRecords: options.batchRecords * 4,
    concurrentWrites: 1,
  });
  const durations = { on: [] as number[], off: [] as number[] };
  let serial = 0;
  try {
    for (let round = 0; round < options.rounds * 2; round++) {
      const mode = round % 2 === 0 ? 'on' : 'off';
      await database.query(
        `ALTER TABLE usage_records ${mode === 'on' ? 'ENABLE' : 'DISABLE'} TRIGGER usage_rollups_after_insert`,
      );
      for (let batch = 0; batch < options.batches; batch++) {
        const now = new Date();
        const records = Array.from({ length: options.batchRecords }, () => record(serial++, now));
        const started = performance.now();
        await Promise.all(records.map((entry) => ledger.record(entry)));
        durations[mode].push(performance.now() - started);
      }
    }
  } finally {
    await ledger.close();
    await database.query('ALTER TABLE usage_records ENABLE TRIGGER usage_rollups_after_insert');
  }
  const median = (values: number[]) => percentile(Float64Array.from(values).sort(), 0.5);
  return {
    batchRecords: options.batchRecords,
    batches: durations.on.length,
    withTriggers: median(durations.on),
    withoutTriggers: median(durations.off),
  };
}
