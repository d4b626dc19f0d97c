import { createHash } from 'node:crypto';
import { canonicalJson } from '../../support/index.ts';
import type { AuditEntry } from './audit-types.ts';

/** The chain of entries about no organisation. Organisation ids start with `org_`, so it cannot clash. */
export const platformChainKey = 'platform';

/** One chain per organisation acted on, and the platform chain for the rest. */
export function chainKeyOf(organizationId: string | null): string {
  return organizationId ?? platformChainKey;
}

/**
 * The canonical record of an entry: every stored field but `hash`, flat and named as its column,
 * with the time as ISO text and the id as decimal text. Its sorted-key JSON is what is hashed.
 */
export function canonicalRecordOf(entry: Omit<AuditEntry, 'hash'>): Record<string, unknown> {
  return {
    id: entry.id,
    chain_key: entry.chainKey,
    sequence: entry.sequence,
    created_at: entry.createdAt.toISOString(),
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_organization_id: entry.actor.organizationId,
    organization_id: entry.organizationId,
    action: entry.action,
    target_type: entry.target.type,
    target_id: entry.target.id,
    before: entry.before,
    after: entry.after,
    client_address: entry.clientAddress,
    request_id: entry.requestId,
    previous_hash: entry.previousHash,
  };
}

/** SHA-256 (hex) of the entry's canonical record, which includes the previous entry's hash. */
export function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson(canonicalRecordOf(entry)))
    .digest('hex');
}
