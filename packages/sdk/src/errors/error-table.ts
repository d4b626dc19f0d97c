import {
  AuthenticationError,
  BudgetExceededError,
  ConflictError,
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
  ServerError,
  ServiceUnavailableError,
  TimeoutError,
  ValidationError,
} from './error-classes.ts';
import type { KimiError, KimiErrorOptions } from './kimi-error.ts';

export type KimiErrorClass = new (options: KimiErrorOptions) => KimiError;

/** Each class with the platform codes it stands for. A code appears under exactly one class. */
const codesByClass: ReadonlyArray<readonly [KimiErrorClass, readonly string[]]> = [
  [TimeoutError, ['REQUEST_TIMEOUT']],
  [
    AuthenticationError,
    [
      'API_KEY_MISSING',
      'SESSION_ACCESS_TOKEN_INVALID',
      'SESSION_ACCESS_TOKEN_EXPIRED',
      'SESSION_REVOKED',
      'SESSION_EXPIRED',
      'SESSION_REFRESH_TOKEN_INVALID',
      'SESSION_REFRESH_TOKEN_REUSED',
      'SESSION_REFRESH_TOKEN_MISSING',
      'SSO_PROVIDER_DENIED',
      'SSO_ID_TOKEN_MALFORMED',
      'SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED',
      'SSO_ID_TOKEN_UNKNOWN_KEY',
      'SSO_ID_TOKEN_BAD_SIGNATURE',
      'SSO_ID_TOKEN_EXPIRED',
      'SSO_ID_TOKEN_NOT_YET_VALID',
      'SSO_ID_TOKEN_WRONG_ISSUER',
      'SSO_ID_TOKEN_WRONG_AUDIENCE',
      'SSO_ID_TOKEN_CLAIM_INVALID',
      'SSO_ID_TOKEN_NONCE_MISMATCH',
      'BEARER_TOKEN_MALFORMED',
      'BEARER_TOKEN_ALGORITHM_NOT_ALLOWED',
      'BEARER_TOKEN_UNKNOWN_KEY',
      'BEARER_TOKEN_BAD_SIGNATURE',
      'BEARER_TOKEN_EXPIRED',
      'BEARER_TOKEN_NOT_YET_VALID',
      'BEARER_TOKEN_WRONG_ISSUER',
      'BEARER_TOKEN_WRONG_AUDIENCE',
      'BEARER_TOKEN_CLAIM_INVALID',
      'BEARER_TOKEN_NOT_ACCEPTED',
      'BEARER_TOKEN_AMBIGUOUS',
    ],
  ],
  [InvalidAPIKeyError, ['API_KEY_INVALID', 'API_KEY_EXPIRED', 'API_KEY_REVOKED']],
  [
    PermissionDeniedError,
    [
      'PERMISSION_DENIED',
      'MODEL_NOT_ALLOWED',
      'MODEL_NOT_IN_PLAN',
      'SSO_REQUIRED',
      'ORGANIZATION_DISABLED',
      'SESSION_MEMBERSHIP_ENDED',
      'CSRF_TOKEN_MISSING',
      'CSRF_TOKEN_INVALID',
      'SSO_GROUPS_NOT_INLINE',
      'SSO_ROLE_NOT_MAPPED',
      'SSO_SIGN_IN_REFUSED',
      'BEARER_TOKEN_ROLE_NOT_MAPPED',
    ],
  ],
  [RateLimitError, ['RATE_LIMIT_EXCEEDED', 'CONCURRENCY_LIMIT_EXCEEDED', 'AUTHENTICATION_RATE_LIMITED']],
  [QuotaExceededError, ['QUOTA_EXCEEDED', 'KNOWLEDGE_LIMIT_EXCEEDED']],
  [BudgetExceededError, ['BUDGET_EXCEEDED']],
  [
    ValidationError,
    [
      'INVALID_JSON',
      'INVALID_URL',
      'URI_TOO_LONG',
      'METHOD_NOT_ALLOWED',
      'UPGRADE_REQUIRED',
      'REQUEST_HEADERS_TOO_LARGE',
      'MALFORMED_HTTP_REQUEST',
      'UNSUPPORTED_MEDIA_TYPE',
      'SSO_STATE_INVALID',
      'SSO_BROWSER_MISMATCH',
      'SSO_CONNECTION_CHANGED',
      'SSO_ISSUER_RESPONSE_MISMATCH',
      'SSO_CALLBACK_INVALID',
      'SSO_AUTHORIZATION_CODE_INVALID',
    ],
  ],
  [InvalidModelError, ['MODEL_REQUIRED', 'MODEL_NOT_FOUND', 'MODEL_CAPABILITY_MISSING']],
  [
    InvalidParameterError,
    [
      'INVALID_REQUEST',
      'CONTEXT_LENGTH_EXCEEDED',
      'TOOL_NOT_FOUND',
      'MCP_SERVER_UNAVAILABLE',
      'SSO_ISSUER_NOT_ALLOWED',
      'SSO_CLIENT_SECRET_REQUIRED',
      'SSO_RETURN_PATH_INVALID',
    ],
  ],
  [PayloadTooLargeError, ['PAYLOAD_TOO_LARGE', 'FILE_TOO_LARGE']],
  [
    ProviderError,
    [
      'PROVIDER_AUTHENTICATION_FAILED',
      'PROVIDER_MODEL_NOT_FOUND',
      'PROVIDER_INVALID_REQUEST',
      'PROVIDER_DESTINATION_BLOCKED',
      'SSO_PROVIDER_METADATA_INVALID',
      'SSO_CLIENT_AUTHENTICATION_FAILED',
    ],
  ],
  [
    ProviderUnavailableError,
    [
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
      'PROVIDER_RATE_LIMITED',
      'SSO_DISCOVERY_FAILED',
      'SSO_JWKS_UNAVAILABLE',
      'SSO_TOKEN_EXCHANGE_FAILED',
    ],
  ],
  [ProviderResponseError, ['PROVIDER_BAD_RESPONSE', 'PROVIDER_STREAM_INTERRUPTED']],
  [ContentFilteredError, ['CONTENT_FILTERED']],
  [
    NotFoundError,
    ['NOT_FOUND', 'ROUTE_NOT_FOUND', 'SSO_NOT_CONFIGURED', 'INVITATION_INVALID', 'INVITATION_EXPIRED'],
  ],
  [
    ConflictError,
    [
      'CONFLICT',
      'ALREADY_EXISTS',
      'ALREADY_MEMBER',
      'LAST_OWNER',
      'PLAN_IN_USE',
      'BUDGET_ALREADY_EXISTS',
      'SESSION_REFRESH_TOKEN_SUPERSEDED',
      'IDEMPOTENCY_KEY_REUSED',
    ],
  ],
  [ServerError, ['INTERNAL_ERROR', 'INGESTION_ABANDONED', 'RESPONSE_CONTRACT_VIOLATION']],
  [ServiceUnavailableError, ['SERVICE_UNAVAILABLE', 'SIGN_IN_UNAVAILABLE']],
];

/**
 * Codes whose `retryable` differs from their class's default. RATE_LIMIT_EXCEEDED and
 * CONCURRENCY_LIMIT_EXCEEDED are retryable for a client (wait Retry-After, send again) although the
 * platform's own routing does not retry them.
 */
const retryableOverrides: Readonly<Record<string, boolean>> = {
  INGESTION_ABANDONED: false,
  RESPONSE_CONTRACT_VIOLATION: false,
  SIGN_IN_UNAVAILABLE: false,
  SESSION_REFRESH_TOKEN_SUPERSEDED: true,
};

function buildTable(): ReadonlyMap<string, KimiErrorClass> {
  const table = new Map<string, KimiErrorClass>();
  for (const [errorClass, codes] of codesByClass) {
    for (const code of codes) {
      if (table.has(code)) throw new Error(`The error code ${code} is listed under two classes.`);
      table.set(code, errorClass);
    }
  }
  return table;
}

/** Every platform error code the SDK knows, with its class. */
export const errorClassTable: ReadonlyMap<string, KimiErrorClass> = buildTable();

/** The class of a platform error code; undefined for a code this SDK version does not know. */
export function errorClassFor(code: string): KimiErrorClass | undefined {
  return errorClassTable.get(code);
}

/** Whether an error with this code may succeed when sent again (undefined: the class decides). */
export function retryableOverrideFor(code: string): boolean | undefined {
  return retryableOverrides[code];
}

/** The class for an unknown code, by HTTP status. */
export function errorClassForStatus(status: number): KimiErrorClass {
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404 || status === 410) return NotFoundError;
  if (status === 408) return TimeoutError;
  if (status === 409) return ConflictError;
  if (status === 413) return PayloadTooLargeError;
  if (status === 402) return BudgetExceededError;
  if (status === 429) return RateLimitError;
  if (status === 502 || status === 504) return ProviderUnavailableError;
  if (status === 503) return ServiceUnavailableError;
  if (status >= 500) return ServerError;
  return ValidationError;
}
