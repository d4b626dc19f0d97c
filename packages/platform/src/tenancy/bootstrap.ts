import type { Database } from '../storage/db/index.ts';
import { createApiKey, findApiKeyByHash } from './api-key-repository.ts';
import { hashApiKeySecret } from './identifiers.ts';
import { countOrganizations, createOrganization } from './organization-repository.ts';

export type BootstrapOutcome =
  | { created: true; organizationId: string; secret: string }
  | { created: false; organizationId: string | null };

/** Arbitrary constant for the bootstrap advisory lock, so concurrent first starts create one organisation. */
const bootstrapLockId = 7_245_001;

/**
 * On a store with no organisations, creates the bootstrap organisation and its platform admin key
 * (the given secret, e.g. KIMI_ADMIN_KEY, or a random one). Safe when several processes start at once.
 */
export async function bootstrapTenancy(
  database: Database,
  options: { organizationName: string; adminSecret?: string },
): Promise<BootstrapOutcome> {
  return database.transaction(async (transaction) => {
    await transaction.query('SELECT pg_advisory_xact_lock($1)', [bootstrapLockId]);
    if (options.adminSecret) {
      const existing = await findApiKeyByHash(transaction, hashApiKeySecret(options.adminSecret));
      if (existing) return { created: false, organizationId: existing.organizationId };
    } else if ((await countOrganizations(transaction)) > 0) {
      return { created: false, organizationId: null };
    }
    const organization = await createOrganization(transaction, {
      name: options.organizationName,
      metadata: { bootstrap: true },
    });
    const { secret } = await createApiKey(transaction, {
      organizationId: organization.id,
      name: 'bootstrap admin',
      role: 'platform_admin',
      ...(options.adminSecret ? { secret: options.adminSecret } : {}),
    });
    return { created: true, organizationId: organization.id, secret };
  });
}
