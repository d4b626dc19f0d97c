import { errors } from '../../errors/index.ts';
import { type AuditLog, attributionOf } from '../../identity/audit/index.ts';
import { requirePermission } from '../../identity/index.ts';
import type { Database, Queryable } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';

/**
 * Whether an organisation's trace spans may carry prompt and completion text. Off by default;
 * admins read it; switching it takes `admin:cache`, the permission that already governs where the
 * organisation's prompt and completion text is kept. Audited in the change's transaction.
 */
export interface TraceContentServices {
  get(caller: AuthContext, organizationId: string): Promise<boolean>;
  put(caller: AuthContext, organizationId: string, recordContent: boolean): Promise<boolean>;
  /**
   * The setting as the gateway reads it for a traced call: cached per organisation for
   * `cacheMs`, so a recorded call costs no database round trip; a change here applies at once on
   * this replica and within `cacheMs` on the others.
   */
  recordsContent(organizationId: string): Promise<boolean>;
}

async function readSetting(database: Queryable, organizationId: string): Promise<boolean | null> {
  const result = await database.query<{ trace_content: boolean }>(
    'SELECT trace_content FROM organizations WHERE id = $1',
    [organizationId],
  );
  return result.rows[0]?.trace_content ?? null;
}

/** The setting's reads and audited changes, and the gateway's cached read of it. */
export function createTraceContentServices(dependencies: {
  database: Database;
  audit: AuditLog;
  clock: Clock;
  cacheMs?: number;
}): TraceContentServices {
  const { audit, clock } = dependencies;
  const cacheMs = dependencies.cacheMs ?? 5000;
  const cached = new Map<string, { value: boolean; until: number }>();
  const missing = (organizationId: string) =>
    errors.notFound(`Organization '${organizationId}'`, 'organizationId');
  return {
    async get(caller, organizationId) {
      requirePermission(caller, 'admin:organization', organizationId);
      const value = await readSetting(dependencies.database.forOrganization(organizationId), organizationId);
      if (value === null) throw missing(organizationId);
      return value;
    },
    async put(caller, organizationId, recordContent) {
      requirePermission(caller, 'admin:cache', organizationId);
      const database = dependencies.database.forOrganization(organizationId);
      await database.transaction(async (transaction) => {
        const before = await readSetting(transaction, organizationId);
        if (before === null) throw missing(organizationId);
        await transaction.query(
          'UPDATE organizations SET trace_content = $2, updated_at = now() WHERE id = $1',
          [organizationId, recordContent],
        );
        await audit.record(transaction, {
          ...attributionOf(caller),
          organizationId,
          action: 'trace_content.set',
          target: { type: 'organization', id: organizationId },
          before: { record_content: before },
          after: { record_content: recordContent },
        });
      });
      cached.set(organizationId, { value: recordContent, until: clock.now() + cacheMs });
      return recordContent;
    },
    async recordsContent(organizationId) {
      const hit = cached.get(organizationId);
      if (hit && hit.until > clock.now()) return hit.value;
      const value =
        (await readSetting(dependencies.database.forOrganization(organizationId), organizationId)) ?? false;
      // why bounded: one entry per organisation that made a traced call; stale ones are replaced.
      if (cached.size > 10_000) cached.clear();
      cached.set(organizationId, { value, until: clock.now() + cacheMs });
      return value;
    },
  };
}
