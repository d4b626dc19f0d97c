import type { AuditEntry, AuditVerification } from '../../platform/index.ts';

/** One audit entry as the API and the JSON-lines export show it. */
export function serializeAuditEntry(entry: AuditEntry) {
  return {
    id: entry.id,
    object: 'audit_entry' as const,
    created_at: entry.createdAt.toISOString(),
    chain_key: entry.chainKey,
    sequence: entry.sequence,
    actor: { type: entry.actor.type, id: entry.actor.id, organization_id: entry.actor.organizationId },
    organization_id: entry.organizationId,
    action: entry.action,
    target: { type: entry.target.type, id: entry.target.id },
    before: entry.before,
    after: entry.after,
    client_address: entry.clientAddress,
    request_id: entry.requestId,
    previous_hash: entry.previousHash,
    hash: entry.hash,
  };
}

export function serializeVerification(verification: AuditVerification) {
  return {
    object: 'audit.verification' as const,
    valid: verification.valid,
    entries: verification.entries,
    first_broken: verification.firstBroken,
  };
}
