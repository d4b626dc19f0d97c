import { errors } from '../../errors/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { requirePermission } from '../access.ts';
import type { AuditVisibility } from './audit-repository.ts';

/**
 * What the caller may read of the audit log (`audit:read`): an organisation's owners and admins its
 * own entries, the platform admin every chain or the one organisation it names.
 */
export function visibilityFor(caller: AuthContext, requestedOrganizationId?: string): AuditVisibility {
  requirePermission(caller, 'audit:read', undefined, 'read the audit log');
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
