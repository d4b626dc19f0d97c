/**
 * Single sign-on with OpenID Connect, per organisation: connections (settings and sealed client
 * secret), the authorization-code flow with PKCE, state and nonce, ID-token validation against the
 * provider's keys, group-to-role mapping, and bearer JWTs from the same provider for workloads.
 * No HTTP here: the routes parse requests and call these services.
 */
export {
  type BearerTokenVerifier,
  type BearerTokenVerifierOptions,
  createBearerTokenVerifier,
  type WorkloadPrincipal,
} from './bearer-token-verifier.ts';
export { type CachedConnectionSource, createCachedConnectionSource } from './cached-connection-source.ts';
export { groupsOf, identityOf, type ProviderIdentity, readClaim, roleForGroups } from './claims-mapping.ts';
export {
  createIdentityProviders,
  type IdentityProviders,
  type IdentityProvidersOptions,
} from './identity-providers.ts';
export { type IssuerUrlPolicy, isLoopbackHost, issuerUrlProblem } from './issuer-url-policy.ts';
export { highestRole, isMembershipRole, type MembershipRole, membershipRoles } from './membership-roles.ts';
export {
  createOidcRelyingParty,
  type OidcRelyingParty,
  type OidcRelyingPartyOptions,
  type SignInResult,
  type StartedSignIn,
} from './oidc-relying-party.ts';
export type { ProviderFetch } from './provider-fetch.ts';
export { discoveryUrlOf, type ProviderMetadata, type ProviderMetadataCache } from './provider-metadata.ts';
export { type RandomBytes, randomUrlSafeText, systemRandomBytes } from './secure-random.ts';
export { type SignInCallback, signInCallbackSchema } from './sign-in-callback-schema.ts';
export type { SignInDecision, SignInDirectory, SignInRequest, SsoConnectionSource } from './sign-in-ports.ts';
export {
  createSqlSsoConnectionSource,
  deleteSsoConnection,
  findSsoConnectionSummary,
  type SsoConnectionSummary,
  saveSsoConnection,
} from './sso-connection-repository.ts';
export {
  type ParsedSsoConnection,
  parseSsoConnectionInput,
  type SsoConnection,
  type SsoConnectionInput,
  type SsoConnectionSettings,
  ssoConnectionInputSchema,
  type TokenEndpointAuthMethod,
} from './sso-connection-schema.ts';
export { ssoErrors } from './sso-errors.ts';
export { type SsoSettings, ssoSettingsSchema } from './sso-settings-schema.ts';
export { acceptedSigningAlgorithms } from './verify-signed-token.ts';
