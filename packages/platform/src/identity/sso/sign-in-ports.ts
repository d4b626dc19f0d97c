import type { RequestOrigin } from '../../tenancy/index.ts';
import type { ProviderIdentity } from './claims-mapping.ts';
import type { MembershipRole } from './membership-roles.ts';
import type { SsoConnection } from './sso-connection-schema.ts';

/** Where the protocol code finds an organisation's connection (the repository, or a cache of it). */
export interface SsoConnectionSource {
  find(organizationId: string): Promise<SsoConnection | null>;
  /** Every connection whose issuer is exactly `issuer` (bearer tokens name their issuer, not an org). */
  findByIssuer(issuer: string): Promise<readonly SsoConnection[]>;
}

/** A verified identity asking to be let into an organisation. */
export interface SignInRequest extends ProviderIdentity {
  organizationId: string;
  /** The role the connection's mapping gives the person's groups (or its default role). */
  mappedRole: MembershipRole;
  /** Where the browser's callback came from, for the audit entries the directory writes. */
  origin: RequestOrigin | null;
}

export type SignInDecision =
  | { outcome: 'accepted'; userId: string; role: MembershipRole }
  | { outcome: 'refused'; reason: string };

/**
 * The port to the organisation's people, implemented by the identity room on its users and
 * memberships: it finds the user linked to (issuer, subject), creates one just in time where the
 * organisation allows it, records the role, and may refuse (a disabled user, a full seat count).
 */
export interface SignInDirectory {
  resolve(request: SignInRequest): Promise<SignInDecision>;
}
