import { errors } from '../../errors/index.ts';
import { type AuthContext, isAdministrator } from '../../tenancy/index.ts';
import type { AuditVisibility } from './audit-repository.ts';

/**
 * What the caller may read of the audit log: an organisation admin its own organisation's entries,
 * the platform admin every chain or the one organisation it names. Member keys read nothing.
 */
export function visibilityFor(caller: AuthContext, requestedOrganizationId?: string): AuditVisibility {
  if (!isAdministrator(caller)) {
    throw errors.forbidden(
      'read the audit log',
      "Use a key with role 'admin' in the organization, or the platform admin key.",
    );
  }
  if (caller.role === 'platform_admin') {
    return requestedOrganizationId === undefined
      ? { everything: true }
      : { organizationId: requestedOrganizationId };
  }
  if (requestedOrganizationId !== undefined && requestedOrganizationId !== caller.organizationId) {
    throw errors.forbidden(
      `read the audit log of organization '${requestedOrganizationId}'`,
      'Only the platform admin key may name another organization; leave organization_id out for your own.',
    );
  }
  return { organizationId: caller.organizationId };
}
