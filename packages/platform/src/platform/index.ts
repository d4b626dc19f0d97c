export {
  type AdministrationServices,
  type ApiKeyServices,
  type NewApiKeyRequest,
  type OrganizationServices,
  type ProviderKeyServices,
  requireOrganizationAdministrator,
  requirePlatformAdministrator,
} from './administration/index.ts';
export { createPlatform } from './create-platform.ts';
export type { Platform } from './platform.ts';
export type { PlatformPorts } from './platform-ports.ts';
