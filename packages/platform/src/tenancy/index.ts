export {
  type ApiKey,
  apiKeysChangedSince,
  createApiKey,
  findApiKey,
  findApiKeyByHash,
  listApiKeys,
  type NewApiKeyInput,
  recordKeysLastUsed,
  revokeApiKey,
  rotateApiKey,
} from './api-key-repository.ts';
export {
  type AuthenticationGuard,
  type AuthenticationGuardOptions,
  createAuthenticationGuard,
} from './authentication-guard.ts';
export { type BootstrapOutcome, bootstrapTenancy } from './bootstrap.ts';
export {
  apiKeySecretPrefix,
  displayPrefixOf,
  hashApiKeySecret,
  newApiKeySecret,
  randomBase62,
} from './identifiers.ts';
export {
  apiKeyChangedChannel,
  createKeyAuthenticator,
  type KeyAuthenticator,
  type KeyAuthenticatorOptions,
} from './key-authenticator.ts';
export { isModelAllowed } from './model-allowlist.ts';
export {
  countOrganizations,
  createOrganization,
  disableOrganization,
  findOrganization,
  findOrganizationAccess,
  listOrganizations,
  type Organization,
  type OrganizationAccess,
} from './organization-repository.ts';
export {
  createProviderCredentialStore,
  type ProviderCredentialStore,
  providerKeysChangedChannel,
} from './provider-credential-store.ts';
export {
  deleteProviderKey,
  listProviderKeys,
  loadProviderCredentials,
  type ProviderKeySummary,
  putProviderKey,
} from './provider-key-repository.ts';
export {
  type ApiKeyRole,
  type AuthContext,
  apiKeyRoles,
  type OrganizationRole,
  organizationRoles,
  type PrincipalKind,
  principalKinds,
  type RequestOrigin,
  readStoredRateLimits,
  type StoredRateLimits,
} from './roles.ts';
