export { errorFromBody, errorFromFetchFailure, errorFromResponse, parseRetryAfter } from './create-error.ts';
export {
  AuthenticationError,
  BudgetExceededError,
  CircuitOpenError,
  ConflictError,
  ConnectionError,
  ContentFilteredError,
  InvalidAPIKeyError,
  InvalidModelError,
  InvalidParameterError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  ProviderError,
  ProviderResponseError,
  ProviderUnavailableError,
  QuotaExceededError,
  RateLimitError,
  RetryExhaustedError,
  ServerError,
  ServiceUnavailableError,
  TimeoutError,
  ValidationError,
} from './error-classes.ts';
export {
  errorClassFor,
  errorClassForStatus,
  errorClassTable,
  type KimiErrorClass,
  retryableOverrideFor,
} from './error-table.ts';
export {
  type ErrorCategory,
  type ErrorSeverity,
  KimiError,
  type KimiErrorJSON,
  type KimiErrorOptions,
} from './kimi-error.ts';
