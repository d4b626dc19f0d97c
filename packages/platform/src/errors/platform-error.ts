/** Who is at fault: the caller, an upstream provider, or the platform itself. */
export type ErrorCategory = 'user' | 'provider' | 'system';

/**
 * Whose service a provider failure says something about: `deployment` (the default) is the shared
 * upstream's health; `caller` is a fault the request itself provoked (a simulated fault directive),
 * which routing records against the caller's organisation only.
 */
export type FaultScope = 'deployment' | 'caller';

/** The OpenAI error `type` strings our clients already understand. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'server_error'
  | 'timeout_error';

export interface PlatformErrorOptions {
  code: string;
  message: string;
  status: number;
  category: ErrorCategory;
  type: OpenAIErrorType;
  retryable?: boolean;
  hint?: string;
  param?: string | null;
  /** Milliseconds the caller should wait before retrying (becomes `Retry-After`). */
  retryAfterMs?: number;
  /** Default `deployment`. */
  faultScope?: FaultScope;
  cause?: unknown;
}

/** The one error type every module throws; serialised in the OpenAI error shape. */
export class PlatformError extends Error {
  readonly code: string;
  readonly status: number;
  readonly category: ErrorCategory;
  readonly type: OpenAIErrorType;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly param: string | null;
  readonly retryAfterMs: number | undefined;
  readonly faultScope: FaultScope;
  /**
   * Response headers the refusal comes with (e.g. `x-ratelimit-*` from admission), set by the
   * layer that refused; the HTTP layer sends them with the error.
   */
  headers: Readonly<Record<string, string>> = {};

  constructor(options: PlatformErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlatformError';
    this.code = options.code;
    this.status = options.status;
    this.category = options.category;
    this.type = options.type;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.param = options.param ?? null;
    this.retryAfterMs = options.retryAfterMs;
    this.faultScope = options.faultScope ?? 'deployment';
  }

  /** The body the HTTP layer sends: `{ error: { message, type, code, param, hint } }`. */
  toResponseBody(requestId?: string): OpenAIErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        param: this.param,
        ...(this.hint ? { hint: this.hint } : {}),
        ...(requestId ? { request_id: requestId } : {}),
      },
    };
  }
}

export interface OpenAIErrorBody {
  error: {
    message: string;
    type: OpenAIErrorType;
    code: string;
    param: string | null;
    hint?: string;
    request_id?: string;
  };
}

export function isPlatformError(value: unknown): value is PlatformError {
  return value instanceof PlatformError;
}

/**
 * A provider failure marked as provoked by the caller's own request: routing then keeps the breaker
 * and Retry-After state it causes to the caller's organisation. Anything else (the caller's own
 * mistakes, system errors, foreign values) passes unchanged, as the same object.
 */
export function asCallerFault(error: unknown): unknown {
  if (!isPlatformError(error) || error.category !== 'provider' || error.faultScope === 'caller') return error;
  const marked = new PlatformError({
    code: error.code,
    message: error.message,
    status: error.status,
    category: error.category,
    type: error.type,
    retryable: error.retryable,
    param: error.param,
    faultScope: 'caller',
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
  marked.stack = error.stack;
  return marked;
}
