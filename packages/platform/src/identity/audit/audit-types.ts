import type { RequestOrigin } from '../../tenancy/index.ts';
import type { AuditAction } from './audit-actions.ts';

/** A JSON value as stored in the `before` and `after` summaries. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [name: string]: JsonValue };

export const auditActorTypes = ['api_key', 'user', 'workload', 'system'] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

/** Who acted: a key, a person, a workload (a service with its identity provider's token), or the platform itself (then without id or organisation). */
export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  /** The organisation the actor belongs to (the platform admin's is the bootstrap organisation). */
  organizationId: string | null;
}

/** What was acted on. */
export interface AuditTarget {
  type: string;
  id: string;
}

/** What a service records, inside the transaction of the change it describes. */
export interface AuditEntryInput {
  actor: AuditActor;
  /** Where the request came from; null for work the platform does itself. */
  origin: RequestOrigin | null;
  /** The organisation acted on; null for platform-wide changes (plans). Decides the chain. */
  organizationId: string | null;
  action: AuditAction;
  target: AuditTarget;
  /** Summaries of the state before and after; secrets are redacted before they are stored. */
  before?: unknown;
  after?: unknown;
}

/** One stored entry. */
export interface AuditEntry {
  /** Decimal text of a bigint: ids increase in the order entries were appended. */
  id: string;
  /** The organisation's id, or 'platform' for the platform chain. */
  chainKey: string;
  /** 1 for the first entry of its chain, then one more for each. */
  sequence: number;
  createdAt: Date;
  actor: AuditActor;
  organizationId: string | null;
  action: string;
  target: AuditTarget;
  before: JsonValue | null;
  after: JsonValue | null;
  clientAddress: string | null;
  requestId: string | null;
  /** The hash of the previous entry of the chain; null for the first. */
  previousHash: string | null;
  hash: string;
}

/** What to list or export; every field narrows. */
export interface AuditFilters {
  /** An exact action, or `<what>.*` for a prefix. */
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  /** Entries created at or after this instant. */
  from?: Date;
  /** Entries created before this instant. */
  to?: Date;
  /** One organisation's entries (the platform admin); an organisation admin may name only its own. */
  organizationId?: string;
}

/** One page, newest first: `after` is the id of the last entry of the previous page. */
export interface AuditPage {
  limit: number;
  after?: string;
}

/** The outcome of walking the chains a caller may see. */
export interface AuditVerification {
  /** True when every entry's previous hash and hash match. */
  valid: boolean;
  /** How many entries were checked. */
  entries: number;
  /** The id of the first entry whose previous hash, sequence or hash does not match; null when valid. */
  firstBroken: string | null;
}
