/** Which part of the system failed; the CLI maps each to an exit code. */
export type ErrorCategory =
  | 'network'
  | 'authentication'
  | 'limits'
  | 'validation'
  | 'provider'
  | 'resources'
  | 'server';

export type ErrorSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface KimiErrorOptions {
  message: string;
  /** The platform's stable UPPER_SNAKE code, or the SDK's own (`CONNECTION_ERROR`, `TIMEOUT`). */
  code: string;
  /** HTTP status; undefined when no response arrived. */
  status?: number;
  retryable?: boolean;
  /** The server's `hint`: what to do about it. */
  recoveryHint?: string;
  requestId?: string;
  param?: string | null;
  /** The OpenAI error `type` the server sent. */
  type?: string;
  /** `Retry-After`, in milliseconds, when the server sent it. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** The JSON form of an error (`toJSON()`): safe to log, it carries no secret. */
export interface KimiErrorJSON {
  name: string;
  message: string;
  code: string;
  category: ErrorCategory;
  severity: ErrorSeverity;
  retryable: boolean;
  status: number | null;
  type: string | null;
  param: string | null;
  recoveryHint: string | null;
  requestId: string | null;
  retryAfterMs: number | null;
}

/**
 * The root of every error the SDK throws. Subclasses fix `category` and `severity`; `retryable`
 * comes from the code (see error-table.ts) and says whether sending the same request again may succeed.
 */
export class KimiError extends Error {
  static readonly category: ErrorCategory = 'server';
  static readonly severity: ErrorSeverity = 'high';
  /** Whether errors of this class are retryable when their code does not say otherwise. */
  static readonly retryableByDefault: boolean = false;

  readonly code: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly recoveryHint: string | undefined;
  readonly requestId: string | undefined;
  readonly param: string | null;
  readonly type: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(options: KimiErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status;
    this.retryable = options.retryable ?? (new.target as typeof KimiError).retryableByDefault;
    this.recoveryHint = options.recoveryHint;
    this.requestId = options.requestId;
    this.param = options.param ?? null;
    this.type = options.type;
    this.retryAfterMs = options.retryAfterMs;
  }

  get category(): ErrorCategory {
    return (this.constructor as typeof KimiError).category;
  }

  get severity(): ErrorSeverity {
    return (this.constructor as typeof KimiError).severity;
  }

  toJSON(): KimiErrorJSON {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      category: this.category,
      severity: this.severity,
      retryable: this.retryable,
      status: this.status ?? null,
      type: this.type ?? null,
      param: this.param,
      recoveryHint: this.recoveryHint ?? null,
      requestId: this.requestId ?? null,
      retryAfterMs: this.retryAfterMs ?? null,
    };
  }
}
