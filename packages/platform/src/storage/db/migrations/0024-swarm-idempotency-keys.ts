import type { Migration } from './migration.ts';

/**
 * `Idempotency-Key` on POST /v1/swarms: a run remembers the key it was created with and a
 * fingerprint (SHA-256) of the request, so a repeated creation returns the same run and the same key
 * with another body is refused. Keys are unique per organisation; the partial index lets runs
 * without a key be as many as before. `swarm_runs` is already isolated by row-level security.
 */
export const swarmIdempotencyKeysMigration: Migration = {
  version: 24,
  name: 'swarm-idempotency-keys',
  sql: `
ALTER TABLE swarm_runs ADD COLUMN idempotency_key text;
ALTER TABLE swarm_runs ADD COLUMN request_fingerprint text;
ALTER TABLE swarm_runs ADD CONSTRAINT swarm_runs_idempotency_key_shape
  CHECK (idempotency_key IS NULL OR (length(idempotency_key) BETWEEN 1 AND 255 AND request_fingerprint IS NOT NULL));
CREATE UNIQUE INDEX swarm_runs_idempotency_key_idx ON swarm_runs (organization_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
`,
};
