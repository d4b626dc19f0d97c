/**
 * The roles a membership can hold, most privileged first. The identity room's permission matrix
 * decides what each may do; here the order only settles which role wins when a person's groups map
 * to several (the first in this list).
 */
export const membershipRoles = ['owner', 'admin', 'developer', 'billing', 'viewer'] as const;
export type MembershipRole = (typeof membershipRoles)[number];

/** The most privileged of `roles`, or null when there is none. */
export function highestRole(roles: Iterable<MembershipRole>): MembershipRole | null {
  let best: MembershipRole | null = null;
  for (const role of roles) {
    if (best === null || membershipRoles.indexOf(role) < membershipRoles.indexOf(best)) best = role;
  }
  return best;
}

export function isMembershipRole(value: unknown): value is MembershipRole {
  return typeof value === 'string' && (membershipRoles as readonly string[]).includes(value);
}
