import type { Database } from '../storage/db/index.ts';
import {
  ensureVectorColumn,
  existingVectorColumn,
  type VectorSearchMode,
  vectorLiteral,
} from '../storage/vectors/index.ts';
import type { Clock } from '../support/index.ts';

export type SemanticSearchMode = VectorSearchMode;

export interface SemanticMatch {
  answer: string;
  similarity: number;
}

export interface SemanticStoreOptions {
  database: Database;
  clock: Clock;
  /** 'auto' uses pgvector where the extension can be loaded; 'exact-scan' never does. */
  mode?: 'auto' | 'exact-scan';
  /** Without pgvector: how many of the newest entries in a scope are compared. */
  maxScanEntries: () => number;
}

/**
 * The semantic cache's nearest-neighbour store. Every query is scoped to one organisation and one
 * scope (model group, system prompt, tools, parameters), so no answer crosses them.
 */
export interface SemanticStore {
  /** Chooses the search mode once; later calls return the same. */
  prepare(): Promise<SemanticSearchMode>;
  /** The most similar live answer in the scope at or above `threshold`, or null. */
  nearest(
    organizationId: string,
    scope: string,
    embedding: readonly number[],
    threshold: number,
  ): Promise<SemanticMatch | null>;
  insert(entry: {
    organizationId: string;
    scope: string;
    key: string;
    embedding: readonly number[];
    answer: string;
    ttlMs: number;
  }): Promise<void>;
  /** Deletes every entry of an organisation; returns how many. */
  purge(organizationId: string): Promise<number>;
  count(organizationId: string): Promise<number>;
}

/** Cosine similarity; 0 when either vector is all zeros or their lengths differ. */
export function cosineSimilarity(left: readonly number[], right: readonly number[]): number {
  if (left.length !== right.length || left.length === 0) return 0;
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  if (leftNorm === 0 || rightNorm === 0) return 0;
  return dot / Math.sqrt(leftNorm * rightNorm);
}

const arrayLiteral = (values: readonly number[]) => `{${values.join(',')}}`;
const parseArray = (text: string) =>
  text === '{}'
    ? []
    : text
        .slice(1, -1)
        .split(',')
        .map((value) => Number(value));

/** Inserts between two sweeps of expired entries. */
const insertsPerSweep = 200;

export function createSemanticStore(options: SemanticStoreOptions): SemanticStore {
  const { database, clock } = options;
  let mode: Promise<SemanticSearchMode> | undefined;
  let insertsSinceSweep = 0;

  async function chooseMode(): Promise<SemanticSearchMode> {
    if (options.mode === 'exact-scan') return 'exact-scan';
    // why: only the schema owner may add the column (createPlatform does so at start-up); any
    // other handle asks the catalog, instead of sending DDL the database would refuse.
    return database.scope.kind === 'owner'
      ? ensureVectorColumn(database, 'semantic_cache_entries', 'embedding_vector')
      : existingVectorColumn(database, 'semantic_cache_entries', 'embedding_vector');
  }

  async function sweepExpired(): Promise<void> {
    insertsSinceSweep += 1;
    if (insertsSinceSweep < insertsPerSweep) return;
    insertsSinceSweep = 0;
    await database.query(
      `DELETE FROM semantic_cache_entries WHERE id IN (
         SELECT id FROM semantic_cache_entries WHERE expires_at <= $1 LIMIT 1000)`,
      [new Date(clock.now())],
    );
  }

  const store: SemanticStore = {
    prepare() {
      mode ??= chooseMode();
      return mode;
    },
    async nearest(organizationId, scope, embedding, threshold) {
      const now = new Date(clock.now());
      if ((await store.prepare()) === 'pgvector') {
        const result = await database.query<{ answer: string; similarity: number }>(
          `SELECT answer, 1 - (embedding_vector <=> $3::vector) AS similarity
             FROM semantic_cache_entries
            WHERE organization_id = $1 AND scope_hash = $2 AND expires_at > $4
              AND embedding_vector IS NOT NULL AND vector_dims(embedding_vector) = $5
            ORDER BY embedding_vector <=> $3::vector
            LIMIT 1`,
          [organizationId, scope, vectorLiteral(embedding), now, embedding.length],
        );
        const best = result.rows[0];
        return best && best.similarity >= threshold ? best : null;
      }
      const result = await database.query<{ answer: string; embedding: string }>(
        `SELECT answer, embedding::text AS embedding
           FROM semantic_cache_entries
          WHERE organization_id = $1 AND scope_hash = $2 AND expires_at > $3
          ORDER BY created_at DESC
          LIMIT $4`,
        [organizationId, scope, now, options.maxScanEntries()],
      );
      let best: SemanticMatch | null = null;
      for (const row of result.rows) {
        const similarity = cosineSimilarity(embedding, parseArray(row.embedding));
        if (similarity >= threshold && (best === null || similarity > best.similarity)) {
          best = { answer: row.answer, similarity };
        }
      }
      return best;
    },
    async insert(entry) {
      const withVector = (await store.prepare()) === 'pgvector';
      const expiresAt = new Date(clock.now() + entry.ttlMs);
      await database.query(
        withVector
          ? `INSERT INTO semantic_cache_entries
               (organization_id, scope_hash, key_hash, embedding, answer, expires_at, embedding_vector)
             VALUES ($1, $2, $3, $4::real[], $5, $6, $7::vector)`
          : `INSERT INTO semantic_cache_entries
               (organization_id, scope_hash, key_hash, embedding, answer, expires_at)
             VALUES ($1, $2, $3, $4::real[], $5, $6)`,
        [
          entry.organizationId,
          entry.scope,
          entry.key,
          arrayLiteral(entry.embedding),
          entry.answer,
          expiresAt,
          ...(withVector ? [vectorLiteral(entry.embedding)] : []),
        ],
      );
      await sweepExpired();
    },
    async purge(organizationId) {
      const result = await database.query('DELETE FROM semantic_cache_entries WHERE organization_id = $1', [
        organizationId,
      ]);
      return result.rowCount;
    },
    async count(organizationId) {
      const result = await database.query<{ count: number }>(
        'SELECT count(*)::int8 AS count FROM semantic_cache_entries WHERE organization_id = $1 AND expires_at > $2',
        [organizationId, new Date(clock.now())],
      );
      return result.rows[0]?.count ?? 0;
    },
  };
  return store;
}
