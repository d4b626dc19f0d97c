import { errors } from '../../errors/index.ts';
import { type AuthContext, isAdministrator } from '../../tenancy/index.ts';

/** Platform admins manage every organisation; an organisation admin only its own. */
export function requireOrganizationAdministrator(caller: AuthContext, organizationId: string): void {
  if (caller.role === 'platform_admin') return;
  if (isAdministrator(caller) && caller.organizationId === organizationId) return;
  throw errors.forbidden(
    `manage organization '${organizationId}'`,
    "Use a key with role 'owner' or 'admin' in that organization, or the platform admin key.",
  );
}

export function requirePlatformAdministrator(caller: AuthContext, action: string): void {
  if (caller.role !== 'platform_admin') {
    throw errors.forbidden(action, 'Only the platform admin key (see ./.kimi/admin-key) may do this.');
  }
}

/** Reading shared configuration (plans) takes an admin key of any organisation. */
export function requireAnyAdministrator(caller: AuthContext, action: string): void {
  if (!isAdministrator(caller)) {
    throw errors.forbidden(action, "Use a key with role 'admin' or the platform admin key.");
  }
}
