import type { Database, Queryable } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { visibilityFor } from './audit-access.ts';
import { attributionOf } from './audit-actor.ts';
import { chainKeyOf, hashOf } from './audit-hash.ts';
import {
  type AuditVisibility,
  appendEntry,
  type ChainPosition,
  findChainEntries,
  findEntries,
} from './audit-repository.ts';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditFilters,
  AuditPage,
  AuditVerification,
  JsonValue,
} from './audit-types.ts';
import { redactSecrets } from './redact-secrets.ts';

/** How many entries a walk or an export reads per statement. */
const batchSize = 500;

export interface AuditLogDependencies {
  database: Database;
  clock: Clock;
}

/**
 * The append-only, hash-chained audit log. Services record inside the transaction of the change
 * they describe, so a change that rolls back leaves no entry and an entry that cannot be written
 * rolls the change back. Reads are organisation-scoped by the caller.
 */
export interface AuditLog {
  /** Appends one entry inside `transaction` (a transaction of the caller's, never the bare database). */
  record(transaction: Queryable, entry: AuditEntryInput): Promise<AuditEntry>;
  /** Matching entries, newest first; `page.limit` rows at most. */
  list(caller: AuthContext, filters: AuditFilters, page: AuditPage): Promise<AuditEntry[]>;
  /** Walks every chain the caller may see (one organisation's with `organizationId`, platform admin). */
  verify(caller: AuthContext, scope?: { organizationId?: string }): Promise<AuditVerification>;
  /**
   * Every matching entry, oldest first, read in batches (for JSON lines). The caller's access is
   * checked when this is called, before anything is read.
   */
  export(caller: AuthContext, filters: AuditFilters): AsyncIterable<AuditEntry>;
}

/** The store as the visibility allows: one organisation's rows, or every chain for the platform admin. */
function databaseFor(database: Database, visibility: AuditVisibility): Database {
  return 'organizationId' in visibility
    ? database.forOrganization(visibility.organizationId)
    : database.forPlatform('the platform admin reads every audit chain');
}

/**
 * Records, on the platform chain, that a platform admin read across organisations (`what` names
 * the read): the platform scope's reads by people are audited like its changes.
 */
export async function recordCrossOrganizationRead(
  log: Pick<AuditLog, 'record'>,
  database: Database,
  caller: AuthContext,
  what: string,
  details: Record<string, JsonValue> = {},
): Promise<void> {
  await database.forPlatform('audit a cross-organization read').transaction((transaction) =>
    log.record(transaction, {
      ...attributionOf(caller),
      organizationId: null,
      action: 'platform.cross_organization_read',
      target: { type: 'platform', id: what },
      before: null,
      after: details,
    }),
  );
}

/** Checks one entry against the one before it in its chain. */
function entryIsIntact(entry: AuditEntry, previous: AuditEntry | null): boolean {
  const expectedSequence = previous ? previous.sequence + 1 : 1;
  return (
    entry.sequence === expectedSequence &&
    entry.previousHash === (previous?.hash ?? null) &&
    entry.chainKey === chainKeyOf(entry.organizationId) &&
    hashOf(entry) === entry.hash
  );
}

export function createAuditLog(dependencies: AuditLogDependencies): AuditLog {
  const { database, clock } = dependencies;
  const log: AuditLog = {
    record(transaction, entry) {
      return appendEntry(transaction, {
        createdAt: new Date(clock.now()),
        actor: entry.actor,
        organizationId: entry.organizationId,
        action: entry.action,
        target: { type: entry.target.type, id: entry.target.id },
        before: redactSecrets(entry.before),
        after: redactSecrets(entry.after),
        clientAddress: entry.origin?.clientAddress ?? null,
        requestId: entry.origin?.requestId ?? null,
      });
    },
    async list(caller, filters, page) {
      const visibility = visibilityFor(caller, filters.organizationId);
      return findEntries(databaseFor(database, visibility), visibility, filters, {
        limit: page.limit,
        direction: 'newest-first',
        ...(page.after === undefined ? {} : { cursor: page.after }),
      });
    },
    async verify(caller, scope = {}) {
      const visibility = visibilityFor(caller, scope.organizationId);
      const chainKey = 'organizationId' in visibility ? chainKeyOf(visibility.organizationId) : null;
      let checked = 0;
      let firstBroken: string | null = null;
      let previous: AuditEntry | null = null;
      let position: ChainPosition | null = null;
      for (;;) {
        const batch = await findChainEntries(
          databaseFor(database, visibility),
          chainKey,
          position,
          batchSize,
        );
        for (const entry of batch) {
          const before: AuditEntry | null = previous?.chainKey === entry.chainKey ? previous : null;
          if (firstBroken === null && !entryIsIntact(entry, before)) firstBroken = entry.id;
          checked += 1;
          previous = entry;
        }
        const last = batch.at(-1);
        if (!last || batch.length < batchSize) break;
        position = { chainKey: last.chainKey, sequence: last.sequence };
      }
      return { valid: firstBroken === null, entries: checked, firstBroken };
    },
    export(caller, filters) {
      const visibility = visibilityFor(caller, filters.organizationId);
      return {
        async *[Symbol.asyncIterator]() {
          // why first: an export can be cut off by the client; the access is what is recorded.
          if ('everything' in visibility) {
            await recordCrossOrganizationRead(log, database, caller, 'audit_log.export', {});
          }
          let cursor: string | undefined;
          for (;;) {
            const batch = await findEntries(databaseFor(database, visibility), visibility, filters, {
              limit: batchSize,
              direction: 'oldest-first',
              ...(cursor === undefined ? {} : { cursor }),
            });
            yield* batch;
            const last = batch.at(-1);
            if (!last || batch.length < batchSize) return;
            cursor = last.id;
          }
        },
      };
    },
  };
  return log;
}
