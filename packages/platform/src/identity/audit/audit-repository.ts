import type { Queryable } from '../../storage/db/index.ts';
import { chainKeyOf, hashOf } from './audit-hash.ts';
import type { AuditActorType, AuditEntry, AuditFilters, JsonValue } from './audit-types.ts';

interface AuditRow {
  id: number | string;
  chain_key: string;
  sequence: number;
  created_at: Date;
  actor_type: AuditActorType;
  actor_id: string | null;
  actor_organization_id: string | null;
  organization_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  before: JsonValue | null;
  after: JsonValue | null;
  client_address: string | null;
  request_id: string | null;
  previous_hash: string | null;
  hash: string;
}

const columns =
  'id, chain_key, sequence, created_at, actor_type, actor_id, actor_organization_id, organization_id, ' +
  'action, target_type, target_id, before, after, client_address, request_id, previous_hash, hash';

/**
 * The first key of the two-key advisory locks that serialise appends to one chain (the second is
 * the chain key's hash). Two-key locks never collide with the one-key migration lock.
 */
const chainLockNamespace = 0x41554454;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    chainKey: row.chain_key,
    sequence: Number(row.sequence),
    createdAt: row.created_at,
    actor: { type: row.actor_type, id: row.actor_id, organizationId: row.actor_organization_id },
    organizationId: row.organization_id,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    before: row.before,
    after: row.after,
    clientAddress: row.client_address,
    requestId: row.request_id,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/** An entry as a caller hands it over: everything but what its chain decides. */
export type UnchainedEntry = Omit<AuditEntry, 'id' | 'chainKey' | 'sequence' | 'previousHash' | 'hash'>;

/**
 * Appends one entry to its chain inside `transaction`. The chain's advisory lock is held until the
 * transaction ends, so concurrent appends to one chain take turns and each reads the head the
 * previous one committed (each statement of a READ COMMITTED transaction sees what committed
 * before it began; the head is read after the lock is granted). Appends to other chains run on.
 */
export async function appendEntry(transaction: Queryable, entry: UnchainedEntry): Promise<AuditEntry> {
  const chainKey = chainKeyOf(entry.organizationId);
  await transaction.query(`SELECT pg_advisory_xact_lock(${chainLockNamespace}, hashtext($1))`, [chainKey]);
  const head = await transaction.query<{ id: number | string; sequence: number | null; hash: string | null }>(
    `SELECT nextval('audit_log_id_seq') AS id, head.sequence, head.hash
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT sequence, hash FROM audit_log WHERE chain_key = $1 ORDER BY sequence DESC LIMIT 1
       ) AS head ON true`,
    [chainKey],
  );
  const { id, sequence, hash: previousHash } = head.rows[0]!;
  const unhashed = {
    ...entry,
    id: String(id),
    chainKey,
    sequence: (sequence === null ? 0 : Number(sequence)) + 1,
    previousHash,
  };
  const stored: AuditEntry = { ...unhashed, hash: hashOf(unhashed) };
  await transaction.query(
    `INSERT INTO audit_log (${columns})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15, $16, $17)`,
    [
      stored.id,
      stored.chainKey,
      stored.sequence,
      stored.createdAt,
      stored.actor.type,
      stored.actor.id,
      stored.actor.organizationId,
      stored.organizationId,
      stored.action,
      stored.target.type,
      stored.target.id,
      stored.before === null ? null : JSON.stringify(stored.before),
      stored.after === null ? null : JSON.stringify(stored.after),
      stored.clientAddress,
      stored.requestId,
      stored.previousHash,
      stored.hash,
    ],
  );
  return stored;
}

/** Which chains a read may see: one organisation's, or every chain (the platform admin). */
export type AuditVisibility = { organizationId: string } | { everything: true };

/** WHERE conditions and parameters for the filters within what may be seen. */
function conditionsFor(
  visibility: AuditVisibility,
  filters: AuditFilters,
): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    sql.push(condition(`$${params.length}`));
  };
  if ('organizationId' in visibility) add((p) => `organization_id = ${p}`, visibility.organizationId);
  if (filters.action?.endsWith('.*')) add((p) => `starts_with(action, ${p})`, filters.action.slice(0, -1));
  else if (filters.action) add((p) => `action = ${p}`, filters.action);
  if (filters.actorId) add((p) => `actor_id = ${p}`, filters.actorId);
  if (filters.targetType) add((p) => `target_type = ${p}`, filters.targetType);
  if (filters.targetId) add((p) => `target_id = ${p}`, filters.targetId);
  if (filters.from) add((p) => `created_at >= ${p}`, filters.from);
  if (filters.to) add((p) => `created_at < ${p}`, filters.to);
  return { sql, params };
}

/** One page of matching entries in id order: newest first after `before`, or oldest first after `after`. */
export async function findEntries(
  queryable: Queryable,
  visibility: AuditVisibility,
  filters: AuditFilters,
  page: { limit: number; cursor?: string; direction: 'newest-first' | 'oldest-first' },
): Promise<AuditEntry[]> {
  const { sql, params } = conditionsFor(visibility, filters);
  const newestFirst = page.direction === 'newest-first';
  if (page.cursor !== undefined) {
    params.push(page.cursor);
    sql.push(`id ${newestFirst ? '<' : '>'} $${params.length}::int8`);
  }
  params.push(page.limit);
  const where = sql.length > 0 ? `WHERE ${sql.join(' AND ')}` : '';
  const result = await queryable.query<AuditRow>(
    `SELECT ${columns} FROM audit_log ${where} ORDER BY id ${newestFirst ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
    params,
  );
  return result.rows.map(toEntry);
}

/** Where a walk of the chains stands: the last entry read. */
export interface ChainPosition {
  chainKey: string;
  sequence: number;
}

/** The next entries in (chain, sequence) order after `position`, within one chain or all of them. */
export async function findChainEntries(
  queryable: Queryable,
  chainKey: string | null,
  position: ChainPosition | null,
  limit: number,
): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const sql: string[] = [];
  if (chainKey !== null) {
    params.push(chainKey);
    sql.push(`chain_key = $${params.length}`);
  }
  if (position) {
    params.push(position.chainKey, position.sequence);
    sql.push(`(chain_key, sequence) > ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit);
  const where = sql.length > 0 ? `WHERE ${sql.join(' AND ')}` : '';
  const result = await queryable.query<AuditRow>(
    `SELECT ${columns} FROM audit_log ${where} ORDER BY chain_key, sequence LIMIT $${params.length}`,
    params,
  );
  return result.rows.map(toEntry);
}
