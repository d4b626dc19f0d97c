import { type ErrorCategory, type ErrorSeverity, KimiError, type KimiErrorOptions } from './kimi-error.ts';

// network — no (or no complete) answer arrived

/** The request could not be sent or the connection broke (fetch threw). */
export class ConnectionError extends KimiError {
  static override readonly category: ErrorCategory = 'network';
  static override readonly severity: ErrorSeverity = 'medium';
  static override readonly retryableByDefault = true;
}

/** No answer in time: the SDK's per-attempt timeout, or the server's `REQUEST_TIMEOUT`. */
export class TimeoutError extends ConnectionError {}

// authentication

export class AuthenticationError extends KimiError {
  static override readonly category: ErrorCategory = 'authentication';
  static override readonly severity: ErrorSeverity = 'high';
}

/** The API key is unknown, expired or revoked. */
export class InvalidAPIKeyError extends AuthenticationError {}

/** The caller is known but may not do this (scope, role, allowlist, plan, SSO policy). */
export class PermissionDeniedError extends AuthenticationError {}

// limits

/** A rate or concurrency limit: wait `retryAfter` seconds. */
export class RateLimitError extends KimiError {
  static override readonly category: ErrorCategory = 'limits';
  static override readonly severity: ErrorSeverity = 'medium';
  static override readonly retryableByDefault = true;

  /** Seconds to wait before retrying (the `Retry-After` header), when the server sent it. */
  get retryAfter(): number | undefined {
    return this.retryAfterMs === undefined ? undefined : this.retryAfterMs / 1000;
  }
}

/** A plan quota (requests, tokens, knowledge-base size) is used up for its period. */
export class QuotaExceededError extends KimiError {
  static override readonly category: ErrorCategory = 'limits';
  static override readonly severity: ErrorSeverity = 'high';
}

/** A spending budget is exhausted. */
export class BudgetExceededError extends KimiError {
  static override readonly category: ErrorCategory = 'limits';
  static override readonly severity: ErrorSeverity = 'high';
}

// validation — the request must change

export class ValidationError extends KimiError {
  static override readonly category: ErrorCategory = 'validation';
  static override readonly severity: ErrorSeverity = 'low';
}

/** The model is missing, unknown, or lacks a capability the request needs. */
export class InvalidModelError extends ValidationError {}

/** A field of the request is invalid; `param` names it. */
export class InvalidParameterError extends ValidationError {}

/** The body or a file is larger than the server accepts. */
export class PayloadTooLargeError extends ValidationError {}

// provider — an upstream model provider (or identity provider) failed

export class ProviderError extends KimiError {
  static override readonly category: ErrorCategory = 'provider';
  static override readonly severity: ErrorSeverity = 'high';
}

/** The provider is down, slow or rate-limiting; retrying later may succeed. */
export class ProviderUnavailableError extends ProviderError {
  static override readonly severity: ErrorSeverity = 'medium';
  static override readonly retryableByDefault = true;
}

/** Every deployment of the model has an open circuit breaker (a `PROVIDER_UNAVAILABLE` that says so). */
export class CircuitOpenError extends ProviderUnavailableError {}

/** The provider answered something unusable, or its stream broke off. */
export class ProviderResponseError extends ProviderError {
  static override readonly severity: ErrorSeverity = 'medium';
  static override readonly retryableByDefault = true;
}

/** The provider's content policy refused the request: rephrase it. */
export class ContentFilteredError extends ProviderError {
  static override readonly severity: ErrorSeverity = 'low';
}

/**
 * The SDK retried a retryable failure `attempts` times and it still failed; `lastError` is the last
 * failure (also the `cause`), whose code, status and category this error repeats.
 */
export class RetryExhaustedError extends ProviderError {
  static override readonly severity: ErrorSeverity = 'high';
  readonly attempts: number;
  readonly lastError: KimiError;

  constructor(lastError: KimiError, attempts: number) {
    const options: KimiErrorOptions = {
      message: `Gave up after ${attempts} attempts: ${lastError.message}`,
      code: lastError.code,
      retryable: false,
      param: lastError.param,
      cause: lastError,
      ...(lastError.status === undefined ? {} : { status: lastError.status }),
      ...(lastError.recoveryHint === undefined ? {} : { recoveryHint: lastError.recoveryHint }),
      ...(lastError.requestId === undefined ? {} : { requestId: lastError.requestId }),
      ...(lastError.type === undefined ? {} : { type: lastError.type }),
      ...(lastError.retryAfterMs === undefined ? {} : { retryAfterMs: lastError.retryAfterMs }),
    };
    super(options);
    this.attempts = attempts;
    this.lastError = lastError;
  }

  /** The last failure's category: a rate limit that outlasted the retries is still about limits. */
  override get category(): ErrorCategory {
    return this.lastError.category;
  }
}

// resources

export class NotFoundError extends KimiError {
  static override readonly category: ErrorCategory = 'resources';
  static override readonly severity: ErrorSeverity = 'low';
}

/** The resource exists, or is in a state that does not allow this. */
export class ConflictError extends KimiError {
  static override readonly category: ErrorCategory = 'resources';
  static override readonly severity: ErrorSeverity = 'low';
}

// server — the platform itself

export class ServerError extends KimiError {
  static override readonly category: ErrorCategory = 'server';
  static override readonly severity: ErrorSeverity = 'critical';
  static override readonly retryableByDefault = true;
}

/** The instance or one of its services is unavailable (shutting down, a store down). */
export class ServiceUnavailableError extends ServerError {
  static override readonly severity: ErrorSeverity = 'high';
}
