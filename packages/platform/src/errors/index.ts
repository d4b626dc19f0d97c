export { type ErrorCatalogueEntry, errorCatalogue, swarmRunErrorCodes } from './error-catalogue.ts';
export { errors } from './error-codes.ts';
export {
  asCallerFault,
  type ErrorCategory,
  type FaultScope,
  isPlatformError,
  type OpenAIErrorBody,
  type OpenAIErrorType,
  PlatformError,
  type PlatformErrorOptions,
} from './platform-error.ts';
export { providerErrors } from './provider-errors.ts';
export { requireUniqueNames } from './unique-names.ts';
