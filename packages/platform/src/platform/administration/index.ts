import type { AdministrationDependencies } from './administration-dependencies.ts';
import { type ApiKeyServices, createApiKeyServices } from './api-key-services.ts';
import { createOrganizationServices, type OrganizationServices } from './organization-services.ts';
import { createProviderKeyServices, type ProviderKeyServices } from './provider-key-services.ts';

export { requireOrganizationAdministrator, requirePlatformAdministrator } from './access.ts';
export type { AdministrationDependencies, PageRequest } from './administration-dependencies.ts';
export type { ApiKeyServices, NewApiKeyRequest } from './api-key-services.ts';
export type { OrganizationServices } from './organization-services.ts';
export type { ProviderKeyServices } from './provider-key-services.ts';

/** The admin operations: each takes the caller, checks its role and changes the store in one transaction. */
export interface AdministrationServices {
  organizations: OrganizationServices;
  apiKeys: ApiKeyServices;
  providerKeys: ProviderKeyServices;
}

export function createAdministrationServices(
  dependencies: AdministrationDependencies,
): AdministrationServices {
  return {
    organizations: createOrganizationServices(dependencies),
    apiKeys: createApiKeyServices(dependencies),
    providerKeys: createProviderKeyServices(dependencies),
  };
}
