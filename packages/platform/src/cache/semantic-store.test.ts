import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedText } from '../providers/simulated/index.ts';
import { type Database, migrateDatabase, openDatabase } from '../storage/db/index.ts';
import { createManualClock } from '../support/index.ts';
import { cosineSimilarity, createSemanticStore } from './semantic-store.ts';

const embed = (text: string) => embedText(text, 64);

describe.each(['auto', 'exact-scan'] as const)('semantic store (%s)', (mode) => {
  let database: Database;
  const clock = createManualClock(Date.now());

  beforeAll(async () => {
    database = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
    await migrateDatabase(database);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('finds the nearest answer within one organisation and scope, above the threshold only', async () => {
    const store = createSemanticStore({ database, clock, mode, maxScanEntries: () => 100 });
    expect(await store.prepare()).toBe(mode === 'auto' ? 'pgvector' : 'exact-scan');
    const insert = (organizationId: string, scope: string, text: string, answer: string, ttlMs = 60_000) =>
      store.insert({ organizationId, scope, key: text, embedding: embed(text), answer, ttlMs });
    await insert('one', 'scope', 'what is the capital of france', 'Paris');
    await insert('one', 'scope', 'how tall is mount everest', 'Tall');
    await insert('one', 'other scope', 'what is the capital of france', 'Other scope');
    await insert('two', 'scope', 'what is the capital of france', 'Other organisation');

    const match = await store.nearest('one', 'scope', embed('What is the capital of France?'), 0.95);
    expect(match?.answer).toBe('Paris');
    expect(match?.similarity).toBeCloseTo(1, 5);
    expect(await store.nearest('one', 'scope', embed('What is the capital of Germany?'), 0.95)).toBeNull();
    expect(await store.nearest('three', 'scope', embed('what is the capital of france'), 0.5)).toBeNull();

    await insert('one', 'short', 'expiring question', 'Soon gone', 1000);
    clock.advance(1001);
    expect(await store.nearest('one', 'short', embed('expiring question'), 0.9)).toBeNull();
    expect(await store.count('one')).toBe(3);
    expect(await store.purge('one')).toBe(4);
    expect(await store.count('two')).toBe(1);
  });
});

describe('cosine similarity', () => {
  it('is 1 for identical directions and 0 for mismatched or empty vectors', () => {
    expect(cosineSimilarity([1, 0], [2, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1], [1, 0])).toBe(0);
    expect(cosineSimilarity([0, 0], [0, 0])).toBe(0);
  });
});
