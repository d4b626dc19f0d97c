import { PlatformError } from './platform-error.ts';

/**
 * Factories for every coded error. Keeping them in one place keeps codes stable and
 * every message paired with a recovery hint.
 */
export const errors = {
  invalidJson(detail: string): PlatformError {
    return new PlatformError({
      code: 'INVALID_JSON',
      message: `The request body is not valid JSON: ${detail}`,
      hint: 'Send a JSON object with Content-Type: application/json.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  invalidRequest(param: string | null, message: string, hint?: string): PlatformError {
    return new PlatformError({
      code: 'INVALID_REQUEST',
      message,
      param,
      hint: hint ?? (param ? `Fix the field '${param}' and retry.` : 'Fix the request and retry.'),
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  missingModel(): PlatformError {
    return new PlatformError({
      code: 'MODEL_REQUIRED',
      message: "The field 'model' is required.",
      param: 'model',
      hint: 'Set model to one of the ids listed by GET /v1/models, e.g. "sim/fast".',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  modelNotFound(model: string): PlatformError {
    return new PlatformError({
      code: 'MODEL_NOT_FOUND',
      message: `The model '${model}' does not exist or is not configured; list the available models with GET /v1/models.`,
      param: 'model',
      hint: 'List the available models with GET /v1/models; names are provider/model or an alias from kimi.config.yaml.',
      status: 404,
      category: 'user',
      type: 'not_found_error',
    });
  },
  modelCapabilityMissing(model: string, capability: string): PlatformError {
    return new PlatformError({
      code: 'MODEL_CAPABILITY_MISSING',
      message: `The model '${model}' does not support ${capability}.`,
      param: 'model',
      hint: `Choose a model whose capabilities in GET /v1/models include '${capability}'.`,
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  payloadTooLarge(limitBytes: number): PlatformError {
    return new PlatformError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `The request body exceeds the limit of ${limitBytes} bytes.`,
      hint: 'Send a smaller request, or raise server.body_limit_bytes in kimi.config.yaml.',
      status: 413,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  fileTooLarge(limitBytes: number): PlatformError {
    return new PlatformError({
      code: 'FILE_TOO_LARGE',
      message: `The file exceeds the limit of ${limitBytes} bytes.`,
      param: 'file',
      hint: 'Split the file into smaller ones, or raise files.max_bytes in kimi.config.yaml.',
      status: 413,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  /** The resource exists but is in a state that does not allow this (a finished batch cancelled). */
  conflict(message: string, hint: string, param: string | null = null): PlatformError {
    return new PlatformError({
      code: 'CONFLICT',
      message,
      param,
      hint,
      status: 409,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  unsupportedMediaType(contentType: string | undefined): PlatformError {
    return new PlatformError({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: contentType
        ? `Unsupported Content-Type '${contentType.slice(0, 100)}'.`
        : 'The request body has no supported Content-Type.',
      hint: 'Send the body as JSON with Content-Type: application/json.',
      status: 415,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  /** A knowledge-base document in a format the loaders do not read. */
  unsupportedDocumentFormat(message: string): PlatformError {
    return new PlatformError({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message,
      param: 'file',
      hint: 'Upload plain text, Markdown, HTML, PDF, JSON or CSV, with its Content-Type or file extension.',
      status: 415,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  multipartRequired(contentType: string | undefined): PlatformError {
    return new PlatformError({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: contentType
        ? `Unsupported Content-Type '${contentType.slice(0, 100)}': a file is uploaded as multipart/form-data.`
        : 'A file is uploaded as multipart/form-data.',
      param: 'file',
      hint: "Send multipart/form-data with the fields 'file' and 'purpose'.",
      status: 415,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  invalidUrl(path: string): PlatformError {
    return new PlatformError({
      code: 'INVALID_URL',
      message: `The URL '${path.slice(0, 200)}' is not valid: it contains a malformed percent-encoding.`,
      hint: 'Percent-encode each path segment as UTF-8 (e.g. with encodeURIComponent) and retry.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  pathSegmentTooLong(maximumLength: number): PlatformError {
    return new PlatformError({
      code: 'URI_TOO_LONG',
      message: `A path parameter of the URL is longer than ${maximumLength} characters.`,
      hint: 'Check the id in the path: ids and names the platform issues are much shorter.',
      status: 414,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  methodNotAllowed(method: string, path: string, allowed: readonly string[]): PlatformError {
    return new PlatformError({
      code: 'METHOD_NOT_ALLOWED',
      message: `The route ${path} does not accept ${method}.`,
      hint: `Use one of ${allowed.join(', ')} (listed in the Allow header); see the README for the API.`,
      status: 405,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  upgradeRequired(path: string): PlatformError {
    return new PlatformError({
      code: 'UPGRADE_REQUIRED',
      message: `${path} accepts WebSocket connections only.`,
      hint: 'Connect with a WebSocket client (ws:// or wss://), which sends Upgrade: websocket.',
      status: 426,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  requestTimeout(): PlatformError {
    return new PlatformError({
      code: 'REQUEST_TIMEOUT',
      message: 'The request was not received in time.',
      hint: 'Send the whole request (headers and body) without pauses, or raise server.request_timeout_ms.',
      status: 408,
      category: 'user',
      type: 'timeout_error',
      retryable: true,
    });
  },
  headersTooLarge(): PlatformError {
    return new PlatformError({
      code: 'REQUEST_HEADERS_TOO_LARGE',
      message: 'The request headers exceed the size the server accepts (16 KiB).',
      hint: 'Send fewer or shorter headers (cookies, tokens) and retry.',
      status: 431,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  malformedHttpRequest(): PlatformError {
    return new PlatformError({
      code: 'MALFORMED_HTTP_REQUEST',
      message: 'The request is not valid HTTP/1.1.',
      hint: 'Check the request line, the headers and that Content-Length matches the body.',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  shuttingDown(): PlatformError {
    return new PlatformError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'This instance is shutting down and accepts no new requests.',
      hint: 'Retry: another replica, or this one after its restart, will answer.',
      status: 503,
      category: 'system',
      type: 'server_error',
      retryable: true,
      retryAfterMs: 1000,
    });
  },
  apiKeyMissing(): PlatformError {
    return new PlatformError({
      code: 'API_KEY_MISSING',
      message: 'No API key was provided.',
      hint: "Send 'Authorization: Bearer <key>'. The bootstrap admin key is in ./.kimi/admin-key.",
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
  apiKeyInvalid(): PlatformError {
    return new PlatformError({
      code: 'API_KEY_INVALID',
      message: 'The API key is not valid.',
      hint: 'Check the key for typos, or ask an administrator for a new one.',
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
  apiKeyExpired(expiredAt: Date): PlatformError {
    return new PlatformError({
      code: 'API_KEY_EXPIRED',
      message: `The API key expired at ${expiredAt.toISOString()}.`,
      hint: 'Ask an administrator to issue a new key.',
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
  apiKeyRevoked(): PlatformError {
    return new PlatformError({
      code: 'API_KEY_REVOKED',
      message: 'The API key has been revoked.',
      hint: 'Ask an administrator to issue a new key.',
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
  singleSignOnRequired(organizationId: string): PlatformError {
    return new PlatformError({
      code: 'SSO_REQUIRED',
      message:
        "This API key belongs to a person, and the key's organization requires its people to sign in through single sign-on.",
      hint: `Sign in at /v1/auth/sso/${organizationId}/start, or use a key that belongs to no person (a service key an admin creates).`,
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
  organizationDisabled(): PlatformError {
    return new PlatformError({
      code: 'ORGANIZATION_DISABLED',
      message: "The API key's organization has been disabled.",
      hint: 'Contact the platform administrator.',
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
  modelNotAllowed(model: string): PlatformError {
    return new PlatformError({
      code: 'MODEL_NOT_ALLOWED',
      message: `This API key is not allowed to use the model '${model}'.`,
      param: 'model',
      hint: "Use one of the models in the key's allowlist, or ask an administrator to widen it.",
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
  forbidden(action: string, hint: string): PlatformError {
    return new PlatformError({
      code: 'PERMISSION_DENIED',
      message: `This API key may not ${action}.`,
      hint,
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
  notFound(what: string, param: string | null = null): PlatformError {
    return new PlatformError({
      code: 'NOT_FOUND',
      message: `${what} was not found.`,
      param,
      hint: 'Check the id; list existing resources with the matching GET endpoint.',
      status: 404,
      category: 'user',
      type: 'not_found_error',
    });
  },
  routeNotFound(method: string, url: string): PlatformError {
    return new PlatformError({
      code: 'ROUTE_NOT_FOUND',
      message: `There is no route ${method} ${url}.`,
      hint: 'See the API section of the README (docs/ has the details) for the routes this platform serves.',
      status: 404,
      category: 'user',
      type: 'not_found_error',
    });
  },
  unavailable(message: string, hint: string): PlatformError {
    return new PlatformError({
      code: 'SERVICE_UNAVAILABLE',
      message,
      hint,
      status: 503,
      category: 'system',
      type: 'server_error',
      retryable: true,
    });
  },
  internal(cause: unknown): PlatformError {
    return new PlatformError({
      code: 'INTERNAL_ERROR',
      message: 'The platform hit an unexpected error.',
      hint: 'Retry; if it persists, report the request id to the operator.',
      status: 500,
      category: 'system',
      type: 'server_error',
      retryable: true,
      cause,
    });
  },
  /** A response that differs from the route's documented contract (only when the check is on, as in tests). */
  responseContractViolation(route: string, detail: string): PlatformError {
    return new PlatformError({
      code: 'RESPONSE_CONTRACT_VIOLATION',
      message: `The response of ${route} does not match its OpenAPI contract: ${detail}`,
      hint: 'Fix the route or its contract (requires(permission, contract)) so the document tells the truth.',
      status: 500,
      category: 'system',
      type: 'server_error',
    });
  },
};
