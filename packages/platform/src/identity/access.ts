import { errors } from '../errors/index.ts';
import type { AuthContext } from '../tenancy/index.ts';
import { type Permission, permissions, rolePermissions } from './permissions.ts';

/** Whether the caller's role allows the permission and, for a scoped key, its scopes include it. */
export function hasPermission(caller: Pick<AuthContext, 'role' | 'scopes'>, permission: Permission): boolean {
  if (!rolePermissions[caller.role].has(permission)) return false;
  return caller.scopes === null || caller.scopes.includes(permission);
}

/** Everything the caller may do: its role's permissions, narrowed by its scopes. */
export function effectivePermissions(caller: Pick<AuthContext, 'role' | 'scopes'>): Permission[] {
  return permissions.filter((permission) => hasPermission(caller, permission));
}

function denied(caller: Pick<AuthContext, 'role' | 'scopes'>, permission: Permission, action: string) {
  const byRole = rolePermissions[caller.role].has(permission);
  return errors.forbidden(
    action,
    byRole
      ? `This key's scopes do not include '${permission}'; use a key created with that scope.`
      : `The role '${caller.role}' does not have the permission '${permission}'; use a key or a member with a role that does (see the README's role table).`,
  );
}

/**
 * Throws PERMISSION_DENIED unless the caller holds the permission and, when an organisation is
 * named, acts in that organisation (the platform admin acts in every one).
 */
export function requirePermission(
  caller: AuthContext,
  permission: Permission,
  organizationId?: string,
  action = `use '${permission}'`,
): void {
  if (!hasPermission(caller, permission)) throw denied(caller, permission, action);
  if (organizationId === undefined || caller.role === 'platform_admin') return;
  if (caller.organizationId !== organizationId) {
    throw errors.forbidden(
      `act in organization '${organizationId}'`,
      'Use a key of that organization, or the platform admin key.',
    );
  }
}

/**
 * A key or member may only be given what its creator holds: every permission of the new role
 * (narrowed by the requested scopes) must be one the caller has. Returns the offending permission.
 */
export function ungrantablePermission(
  caller: AuthContext,
  granted: Pick<AuthContext, 'role' | 'scopes'>,
): Permission | null {
  for (const permission of effectivePermissions(granted)) {
    if (!hasPermission(caller, permission)) return permission;
  }
  return null;
}
