import type { ErrorCategory, OpenAIErrorType } from './platform-error.ts';

/**
 * One stable error code the platform can answer with. `status` and `type` are the usual ones;
 * `statuses` and `types` list every value the code can come with (first = the usual one), because a
 * few codes are shared by several sources (e.g. `INVALID_REQUEST` for any other 4xx a framework raises).
 */
export interface ErrorCatalogueEntry {
  readonly code: string;
  readonly status: number;
  readonly statuses: readonly number[];
  readonly category: ErrorCategory;
  readonly type: OpenAIErrorType;
  readonly types: readonly OpenAIErrorType[];
  /** The `retryable` flag the platform sets: whether the same request may succeed when sent again. */
  readonly retryable: boolean;
  readonly summary: string;
}

interface Facts {
  status: number | readonly number[];
  category: ErrorCategory;
  type: OpenAIErrorType | readonly OpenAIErrorType[];
  retryable?: boolean;
  summary: string;
}

const user = (status: number | readonly number[], type: OpenAIErrorType | readonly OpenAIErrorType[]) =>
  ({ status, category: 'user', type }) as const;
const invalid = (status: number | readonly number[] = 400) => user(status, 'invalid_request_error');
const unauthenticated = user(401, 'authentication_error');
const forbidden = user(403, 'permission_error');
const upstream = (retryable: boolean) =>
  ({ status: 502, category: 'provider', type: 'api_error', retryable }) as const;

const facts: Record<string, Facts> = {
  // Requests the caller must fix (errors/error-codes.ts, http/error-handler.ts)
  INVALID_JSON: { ...invalid(), summary: 'The request body is not valid JSON.' },
  INVALID_REQUEST: {
    ...invalid(),
    summary: 'A field is missing or invalid (param names it); rarely with another 4xx a framework raised.',
  },
  MODEL_REQUIRED: { ...invalid(), summary: "The field 'model' is missing." },
  MODEL_NOT_FOUND: {
    ...user(404, 'not_found_error'),
    summary: 'The model does not exist or is not configured.',
  },
  MODEL_CAPABILITY_MISSING: { ...invalid(), summary: 'The model lacks a capability the request needs.' },
  PAYLOAD_TOO_LARGE: { ...invalid(413), summary: 'The request body exceeds the size limit.' },
  FILE_TOO_LARGE: {
    ...invalid(413),
    summary: 'An uploaded file exceeds the size limit (configuration or plan).',
  },
  CONFLICT: { ...invalid(409), summary: 'The resource is in a state that does not allow this operation.' },
  UNSUPPORTED_MEDIA_TYPE: {
    ...invalid(415),
    summary: 'The Content-Type or document format is not supported.',
  },
  INVALID_URL: { ...invalid(), summary: 'The URL has a malformed percent-encoding.' },
  URI_TOO_LONG: { ...invalid(414), summary: 'A path parameter is too long.' },
  METHOD_NOT_ALLOWED: { ...invalid(405), summary: 'The route does not accept this HTTP method.' },
  UPGRADE_REQUIRED: { ...invalid(426), summary: 'The route accepts WebSocket connections only.' },
  REQUEST_TIMEOUT: {
    ...user(408, 'timeout_error'),
    retryable: true,
    summary: 'The request was not received in time.',
  },
  REQUEST_HEADERS_TOO_LARGE: { ...invalid(431), summary: 'The request headers are too large.' },
  MALFORMED_HTTP_REQUEST: { ...invalid(), summary: 'The request is not valid HTTP/1.1.' },
  IDEMPOTENCY_KEY_REUSED: {
    ...invalid(422),
    summary:
      'The Idempotency-Key was already used (in the organization) for a request with a different body.',
  },
  // Authentication and permissions
  API_KEY_MISSING: { ...unauthenticated, summary: 'No API key was sent.' },
  API_KEY_INVALID: { ...unauthenticated, summary: 'The API key is not valid.' },
  API_KEY_EXPIRED: { ...unauthenticated, summary: 'The API key has expired.' },
  API_KEY_REVOKED: { ...unauthenticated, summary: 'The API key has been revoked.' },
  AUTHENTICATION_RATE_LIMITED: {
    ...user(429, 'rate_limit_error'),
    retryable: true,
    summary: 'Too many failed authentications; wait for Retry-After.',
  },
  SSO_REQUIRED: {
    ...forbidden,
    summary: "A person's key is refused: the organization requires single sign-on.",
  },
  ORGANIZATION_DISABLED: { ...forbidden, summary: "The key's organization is disabled." },
  MODEL_NOT_ALLOWED: { ...forbidden, summary: "The model is outside the key's allowlist." },
  PERMISSION_DENIED: { ...forbidden, summary: 'The key lacks the scope or role this operation needs.' },
  // Resources
  NOT_FOUND: {
    ...user(404, ['not_found_error', 'invalid_request_error']),
    summary: 'The resource does not exist (or belongs to another organization).',
  },
  ROUTE_NOT_FOUND: { ...user(404, 'not_found_error'), summary: 'There is no such route.' },
  ALREADY_EXISTS: { ...invalid(409), summary: 'A resource with this name already exists.' },
  ALREADY_MEMBER: { ...invalid(409), summary: 'The person is already a member of the organization.' },
  LAST_OWNER: { ...invalid(409), summary: 'The change would leave the organization without an owner.' },
  INVITATION_INVALID: { ...invalid(404), summary: 'The invitation token is unknown, revoked or used.' },
  INVITATION_EXPIRED: { ...invalid(410), summary: 'The invitation has expired.' },
  PLAN_IN_USE: { ...invalid(409), summary: 'The plan cannot be deleted while organizations are on it.' },
  BUDGET_ALREADY_EXISTS: { ...invalid(409), summary: 'A budget for this scope and subject already exists.' },
  TOOL_NOT_FOUND: { ...invalid(), summary: 'A tool named in the request does not exist.' },
  MCP_SERVER_UNAVAILABLE: { ...invalid(), summary: 'An MCP server named in the request cannot be reached.' },
  // Limits
  RATE_LIMIT_EXCEEDED: {
    ...user(429, 'rate_limit_error'),
    summary: 'A requests- or tokens-per-minute limit is reached; wait for Retry-After.',
  },
  CONCURRENCY_LIMIT_EXCEEDED: {
    ...user(429, 'rate_limit_error'),
    summary: 'Too many requests in flight for the organization or key.',
  },
  QUOTA_EXCEEDED: {
    ...user(429, 'insufficient_quota'),
    summary: "The plan's request or token quota is used up.",
  },
  BUDGET_EXCEEDED: { ...user(402, 'insufficient_quota'), summary: 'A spending budget is exhausted.' },
  MODEL_NOT_IN_PLAN: { ...forbidden, summary: "The model is not included in the organization's plan." },
  KNOWLEDGE_LIMIT_EXCEEDED: {
    ...user(403, 'insufficient_quota'),
    summary: "The plan's knowledge-base limits (documents, bytes) are reached.",
  },
  // Providers
  PROVIDER_RATE_LIMITED: {
    status: 429,
    category: 'provider',
    type: 'rate_limit_error',
    retryable: true,
    summary: 'The upstream provider rate-limited the call.',
  },
  PROVIDER_UNAVAILABLE: { ...upstream(true), summary: 'The upstream provider failed or is unreachable.' },
  PROVIDER_TIMEOUT: {
    status: 504,
    category: 'provider',
    type: 'timeout_error',
    retryable: true,
    summary: 'The upstream provider did not answer (or connect) in time.',
  },
  PROVIDER_STREAM_INTERRUPTED: { ...upstream(true), summary: "The provider's stream ended early." },
  PROVIDER_BAD_RESPONSE: {
    ...upstream(true),
    summary: 'The provider sent a response the platform cannot read.',
  },
  PROVIDER_AUTHENTICATION_FAILED: {
    ...upstream(false),
    summary: "The provider refused the platform's credentials (operator must fix).",
  },
  PROVIDER_MODEL_NOT_FOUND: {
    ...upstream(false),
    summary: 'The provider does not serve the configured model.',
  },
  PROVIDER_INVALID_REQUEST: { ...invalid(), summary: 'The provider rejected the request as invalid.' },
  PROVIDER_DESTINATION_BLOCKED: {
    ...invalid(),
    summary: "The organization's provider base URL leads to a non-public address.",
  },
  CONTEXT_LENGTH_EXCEEDED: { ...invalid(), summary: "The prompt exceeds the model's context window." },
  CONTENT_FILTERED: { ...invalid(), summary: "The provider's content policy blocked the request." },
  // The platform itself
  SERVICE_UNAVAILABLE: {
    status: 503,
    category: 'system',
    type: 'server_error',
    retryable: true,
    summary: 'The instance, or a service it depends on, is unavailable (or shutting down).',
  },
  RESPONSE_CONTRACT_VIOLATION: {
    status: 500,
    category: 'system',
    type: 'server_error',
    summary:
      "A response differed from its route's OpenAPI contract (only where the check is on, as in tests).",
  },
  INTERNAL_ERROR: {
    status: [500, 501, 502, 504, 505],
    category: 'system',
    type: 'server_error',
    retryable: true,
    summary: 'An unexpected error on the platform (any 5xx without a more specific code).',
  },
  INGESTION_ABANDONED: {
    status: 500,
    category: 'system',
    type: 'server_error',
    summary: "A document's ingestion was abandoned after its worker stopped repeatedly.",
  },
  SIGN_IN_UNAVAILABLE: {
    status: 503,
    category: 'system',
    type: 'api_error',
    summary: 'Single sign-on and sessions are off: no master key is configured.',
  },
  // Browser sessions
  SESSION_ACCESS_TOKEN_INVALID: { ...unauthenticated, summary: 'The session token is not valid.' },
  SESSION_ACCESS_TOKEN_EXPIRED: { ...unauthenticated, summary: 'The session token has expired.' },
  SESSION_REVOKED: { ...unauthenticated, summary: 'The session has been signed out.' },
  SESSION_EXPIRED: { ...unauthenticated, summary: 'The session has ended (idle or too old).' },
  SESSION_REFRESH_TOKEN_INVALID: { ...unauthenticated, summary: 'The refresh token is not valid.' },
  SESSION_REFRESH_TOKEN_REUSED: {
    ...unauthenticated,
    summary: 'A refresh token was reused; the session ended.',
  },
  SESSION_REFRESH_TOKEN_MISSING: { ...unauthenticated, summary: 'No refresh-token cookie was sent.' },
  SESSION_REFRESH_TOKEN_SUPERSEDED: {
    ...invalid(409),
    retryable: true,
    summary: 'Another request refreshed the session a moment ago.',
  },
  SESSION_MEMBERSHIP_ENDED: {
    ...forbidden,
    summary: 'The person is no longer a member of the organization.',
  },
  CSRF_TOKEN_MISSING: { ...forbidden, summary: 'A cookie-authenticated change carries no CSRF token.' },
  CSRF_TOKEN_INVALID: { ...forbidden, summary: 'The CSRF token does not belong to the session.' },
  // Single sign-on and bearer JWTs
  SSO_NOT_CONFIGURED: { ...user(404, 'not_found_error'), summary: 'The organization has no SSO connection.' },
  SSO_ISSUER_NOT_ALLOWED: { ...invalid(), summary: 'The SSO issuer URL is not allowed.' },
  SSO_CLIENT_SECRET_REQUIRED: { ...invalid(), summary: 'A new SSO connection needs a client_secret.' },
  SSO_RETURN_PATH_INVALID: { ...invalid(), summary: 'The return path is not a path on this platform.' },
  SSO_STATE_INVALID: { ...invalid(), summary: 'The sign-in response is unknown, used or expired.' },
  SSO_BROWSER_MISMATCH: { ...invalid(), summary: 'The sign-in was started in another browser.' },
  SSO_CONNECTION_CHANGED: { ...invalid(), summary: 'The SSO connection changed during the sign-in.' },
  SSO_ISSUER_RESPONSE_MISMATCH: { ...invalid(), summary: 'The sign-in response names another issuer.' },
  SSO_CALLBACK_INVALID: { ...invalid(), summary: 'The sign-in response is incomplete.' },
  SSO_AUTHORIZATION_CODE_INVALID: { ...invalid(), summary: 'The provider refused the authorization code.' },
  SSO_PROVIDER_DENIED: {
    ...unauthenticated,
    summary: 'The identity provider ended the sign-in with an error.',
  },
  SSO_GROUPS_NOT_INLINE: { ...forbidden, summary: 'The provider left the groups claim out of the token.' },
  SSO_ROLE_NOT_MAPPED: { ...forbidden, summary: 'None of the groups or roles maps to a role.' },
  SSO_SIGN_IN_REFUSED: { ...forbidden, summary: 'The organization refused the sign-in.' },
  SSO_PROVIDER_METADATA_INVALID: {
    ...upstream(false),
    summary: 'The identity provider published unusable metadata.',
  },
  SSO_CLIENT_AUTHENTICATION_FAILED: {
    ...upstream(false),
    summary: "The identity provider refused the platform's client credentials.",
  },
  SSO_DISCOVERY_FAILED: {
    ...upstream(true),
    summary: "The provider's discovery document could not be read.",
  },
  SSO_JWKS_UNAVAILABLE: { ...upstream(true), summary: "The provider's signing keys could not be read." },
  SSO_TOKEN_EXCHANGE_FAILED: { ...upstream(true), summary: "The provider's token endpoint failed." },
  SSO_ID_TOKEN_MALFORMED: { ...unauthenticated, summary: 'The ID token is not a well-formed signed JWT.' },
  SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED: {
    ...unauthenticated,
    summary: 'The ID token uses a refused algorithm.',
  },
  SSO_ID_TOKEN_UNKNOWN_KEY: { ...unauthenticated, summary: 'The ID token is signed with an unknown key.' },
  SSO_ID_TOKEN_BAD_SIGNATURE: { ...unauthenticated, summary: 'The ID token signature does not verify.' },
  SSO_ID_TOKEN_EXPIRED: { ...unauthenticated, summary: 'The ID token has expired.' },
  SSO_ID_TOKEN_NOT_YET_VALID: { ...unauthenticated, summary: 'The ID token is not valid yet.' },
  SSO_ID_TOKEN_WRONG_ISSUER: {
    ...unauthenticated,
    summary: "The ID token's issuer is not the connection's.",
  },
  SSO_ID_TOKEN_WRONG_AUDIENCE: { ...unauthenticated, summary: 'The ID token was issued for another client.' },
  SSO_ID_TOKEN_CLAIM_INVALID: { ...unauthenticated, summary: 'The ID token has a missing or invalid claim.' },
  SSO_ID_TOKEN_NONCE_MISMATCH: { ...unauthenticated, summary: 'The ID token belongs to another sign-in.' },
  BEARER_TOKEN_MALFORMED: {
    ...unauthenticated,
    summary: 'The bearer token is not a well-formed signed JWT.',
  },
  BEARER_TOKEN_ALGORITHM_NOT_ALLOWED: {
    ...unauthenticated,
    summary: 'The bearer token uses a refused algorithm.',
  },
  BEARER_TOKEN_UNKNOWN_KEY: {
    ...unauthenticated,
    summary: 'The bearer token is signed with an unknown key.',
  },
  BEARER_TOKEN_BAD_SIGNATURE: { ...unauthenticated, summary: 'The bearer token signature does not verify.' },
  BEARER_TOKEN_EXPIRED: { ...unauthenticated, summary: 'The bearer token has expired.' },
  BEARER_TOKEN_NOT_YET_VALID: { ...unauthenticated, summary: 'The bearer token is not valid yet.' },
  BEARER_TOKEN_WRONG_ISSUER: { ...unauthenticated, summary: "The bearer token's issuer is not accepted." },
  BEARER_TOKEN_WRONG_AUDIENCE: {
    ...unauthenticated,
    summary: "The bearer token's audience is not accepted.",
  },
  BEARER_TOKEN_CLAIM_INVALID: {
    ...unauthenticated,
    summary: 'The bearer token has a missing or invalid claim.',
  },
  BEARER_TOKEN_NOT_ACCEPTED: { ...unauthenticated, summary: 'The organization accepts no bearer JWTs.' },
  BEARER_TOKEN_AMBIGUOUS: { ...unauthenticated, summary: 'Several organizations accept this token.' },
  BEARER_TOKEN_ROLE_NOT_MAPPED: {
    ...forbidden,
    summary: "None of the token's groups or roles maps to a role.",
  },
};

const asList = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? (value as readonly T[]) : [value as T];

/** Every error code the platform answers with, in the `{ error: { code } }` body of a failed request. */
export const errorCatalogue: readonly ErrorCatalogueEntry[] = Object.entries(facts).map(([code, fact]) => {
  const statuses = asList(fact.status);
  const types = asList(fact.type);
  return Object.freeze({
    code,
    status: statuses[0] as number,
    statuses,
    category: fact.category,
    type: types[0] as OpenAIErrorType,
    types,
    retryable: fact.retryable ?? false,
    summary: fact.summary,
  });
});

/**
 * The codes of a swarm run's `error` (GET /v1/swarms/:id, the terminal event): why a run that was
 * accepted ended in `failed` or `timed_out`. They are never a request's error code.
 */
export const swarmRunErrorCodes = Object.freeze({
  RUN_FAILED: 'The run hit an unexpected error.',
  RUN_TIMED_OUT: 'The run did not finish within timeout_s.',
  PLAN_INVALID: "The planner's plan stayed invalid after one repair.",
  PLAN_FAILED: 'The planner step failed.',
  AGENTS_FAILED: 'Every subtask of the plan failed.',
  SYNTHESIS_FAILED: 'The synthesis step failed.',
} as const);
