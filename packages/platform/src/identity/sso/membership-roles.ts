import { type OrganizationRole, organizationRoles } from '../../tenancy/index.ts';

/** A membership's role: the organisation roles of `tenancy/roles.ts`. */
export type MembershipRole = OrganizationRole;

/**
 * The roles in the order that settles which wins when a person's groups map to several (the first
 * in this list): billing ranks above viewer here, since it can change what the organisation pays.
 */
export const membershipRoles: readonly MembershipRole[] = [
  'owner',
  'admin',
  'developer',
  'billing',
  'viewer',
];

/** The most privileged of `roles`, or null when there is none. */
export function highestRole(roles: Iterable<MembershipRole>): MembershipRole | null {
  let best: MembershipRole | null = null;
  for (const role of roles) {
    if (best === null || membershipRoles.indexOf(role) < membershipRoles.indexOf(best)) best = role;
  }
  return best;
}

export function isMembershipRole(value: unknown): value is MembershipRole {
  return typeof value === 'string' && (organizationRoles as readonly string[]).includes(value);
}
