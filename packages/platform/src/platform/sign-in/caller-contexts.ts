import { createHash } from 'node:crypto';
import { errors } from '../../errors/index.ts';
import type { SessionPrincipal } from '../../identity/sessions/index.ts';
import type { WorkloadPrincipal } from '../../identity/sso/index.ts';
import { type AuthContext, type RequestOrigin, readStoredRateLimits } from '../../tenancy/index.ts';
import type { OrganizationAccessCache } from './organization-access-cache.ts';

const noRateLimits = readStoredRateLimits({});

async function organizationFacts(access: OrganizationAccessCache, organizationId: string) {
  const organization = await access.get(organizationId);
  if (!organization || organization.disabled) throw errors.organizationDisabled();
  return {
    plan: organization.planId,
    organizationRateLimits: readStoredRateLimits(organization.rateLimits),
  };
}

/**
 * The caller a browser session is: the signed-in person with their membership's role (as of the
 * access token, at most one access-token lifetime old), without scopes, model limits or team.
 */
export async function sessionCaller(
  principal: SessionPrincipal,
  access: OrganizationAccessCache,
  origin: RequestOrigin,
): Promise<AuthContext> {
  return {
    organizationId: principal.organizationId,
    principal: 'session',
    apiKeyId: principal.sessionId,
    keyName: 'browser session',
    role: principal.role,
    scopes: null,
    userId: principal.userId,
    teamId: null,
    allowedModels: null,
    expiresAt: principal.expiresAt,
    ...(await organizationFacts(access, principal.organizationId)),
    keyRateLimits: noRateLimits,
    teamRateLimits: noRateLimits,
    origin,
  };
}

/** `jwt:` and 16 hex characters of the SHA-256 of issuer, a newline and subject (see AuthContext). */
export function workloadPrincipalId(issuer: string, subject: string): string {
  return `jwt:${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 16)}`;
}

/** The caller a workload token is: a service of the organisation with the role its claims map to. */
export async function workloadCaller(
  principal: WorkloadPrincipal,
  access: OrganizationAccessCache,
  origin: RequestOrigin,
): Promise<AuthContext> {
  return {
    organizationId: principal.organizationId,
    principal: 'workload',
    apiKeyId: workloadPrincipalId(principal.issuer, principal.subject),
    keyName: `workload ${(principal.clientId ?? principal.subject).slice(0, 200)}`,
    role: principal.role,
    scopes: null,
    userId: null,
    teamId: null,
    allowedModels: null,
    expiresAt: principal.expiresAt,
    ...(await organizationFacts(access, principal.organizationId)),
    keyRateLimits: noRateLimits,
    teamRateLimits: noRateLimits,
    origin,
  };
}
