import type { JWTPayload } from 'jose';
import { highestRole, type MembershipRole } from './membership-roles.ts';
import { ssoErrors } from './sso-errors.ts';

/** Who the provider says the person (or workload) is. */
export interface ProviderIdentity {
  issuer: string;
  /** `sub`: stable per issuer; the key a user is linked by, never the email. */
  subject: string;
  email: string | null;
  /** `email_verified` when the provider sends it; null when it does not say. */
  emailVerified: boolean | null;
  name: string | null;
  /** Values of the connection's groups claim (group ids or names, app roles). */
  groups: readonly string[];
}

const maximumGroups = 2000;

/**
 * A claim by its exact name (names may contain dots, as namespaced URL claims do), else by a dotted
 * path into nested objects (Keycloak's `realm_access.roles`).
 */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let current: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function hasDistributedClaim(payload: JWTPayload, name: string): boolean {
  const names = payload._claim_names;
  return typeof names === 'object' && names !== null && Object.hasOwn(names, name);
}

/**
 * The values of the groups claim: an array of strings (numbers are read as text), or one string.
 * A claim the provider moved out of the token (aggregated or distributed claims, Entra's "group
 * overage" past 200 groups) is refused rather than read as "no groups".
 */
export function groupsOf(payload: JWTPayload, claim: string): string[] {
  const value = readClaim(payload, claim);
  if (value === undefined || value === null) {
    if (hasDistributedClaim(payload, claim)) throw ssoErrors.groupsNotInline(claim);
    return [];
  }
  const values = Array.isArray(value) ? value : [value];
  const groups: string[] = [];
  for (const item of values.slice(0, maximumGroups)) {
    if (typeof item === 'string' && item.length > 0) groups.push(item);
    else if (typeof item === 'number' && Number.isFinite(item)) groups.push(String(item));
  }
  return groups;
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 512) : null;
}

/** The identity a verified token carries, read with the connection's claim names. */
export function identityOf(
  payload: JWTPayload,
  claims: { groupsClaim: string; emailClaim: string },
): ProviderIdentity {
  const verified = payload.email_verified;
  return {
    issuer: String(payload.iss),
    subject: String(payload.sub),
    email: optionalText(readClaim(payload, claims.emailClaim)),
    emailVerified: typeof verified === 'boolean' ? verified : verified === 'true' ? true : null,
    name: optionalText(payload.name),
    groups: groupsOf(payload, claims.groupsClaim),
  };
}

/**
 * The role a person's groups give: the most privileged mapped match, else the default role, else
 * null (refused). Matching is exact and case-sensitive (group ids are; names should be compared as
 * the provider spells them).
 */
export function roleForGroups(
  groups: readonly string[],
  mapping: Readonly<Record<string, MembershipRole>>,
  defaultRole: MembershipRole | null,
): MembershipRole | null {
  const matched: MembershipRole[] = [];
  for (const group of groups) {
    if (Object.hasOwn(mapping, group)) matched.push(mapping[group] as MembershipRole);
  }
  return highestRole(matched) ?? defaultRole;
}
