/**
 * The contracts of the resilience primitives. The gateway's attempt loop uses only these; each
 * primitive lives in its own small module with its own tests.
 */

export interface RetrySettings {
  /** Tries per deployment, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryBudgetSettings {
  /** Retries allowed as a share of recent requests (e.g. 0.2 = one retry per five requests). */
  ratio: number;
  /** Retries always allowed per second, so a quiet deployment can still retry. */
  minimumPerSecond: number;
  windowMs: number;
}

/** Caps retries across all requests, so retries cannot multiply load during an outage. */
export interface RetryBudget {
  /** Counts a first attempt (it earns retry allowance). */
  recordRequest(): void;
  /** Takes one retry from the budget; false when it is spent. */
  tryAcquireRetry(): boolean;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerSettings {
  /** Sliding window over which the failure ratio is computed. */
  windowMs: number;
  /** No opening before this many requests in the window. */
  minimumRequests: number;
  /** Opens when failures / requests in the window reach this. */
  failureRatio: number;
  /** How long it stays open before letting probes through. */
  cooldownMs: number;
  /** Probes allowed at once while half-open; all must succeed to close. */
  halfOpenProbes: number;
}

export interface BreakerPermit {
  allowed: boolean;
  state: BreakerState;
  /** True when this call is a half-open probe (its outcome decides the state). */
  probe: boolean;
}

export interface BreakerSnapshot {
  deployment: string;
  state: BreakerState;
  requests: number;
  failures: number;
  /** Epoch ms until which it stays open; null when not open. */
  openUntil: number | null;
}

/** One breaker per deployment; state shared across replicas when the kv port is Redis. */
export interface CircuitBreakers {
  acquire(deployment: string): Promise<BreakerPermit>;
  record(deployment: string, outcome: 'success' | 'failure', permit: BreakerPermit): Promise<void>;
  /**
   * Hands back a permit whose outcome says nothing about the deployment (the call was never made,
   * or its caller provoked the failure): a probe's slot is freed at once, and nothing is counted.
   */
  release(deployment: string, permit: BreakerPermit): Promise<void>;
  snapshot(deployment: string): Promise<BreakerSnapshot>;
  close(): Promise<void>;
}

export interface UpstreamQuota {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export type LimiterDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Token buckets per deployment for the upstream's own RPM/TPM, so we divert before it says 429. */
export interface UpstreamLimiter {
  tryAcquire(deployment: string, quota: UpstreamQuota, estimatedTokens: number): LimiterDecision;
  /** Corrects the token bucket once the real usage is known. */
  settle(deployment: string, quota: UpstreamQuota, estimatedTokens: number, actualTokens: number): void;
  /** Empties the request bucket until `retryAfterMs` passes (the upstream said 429). */
  pause(deployment: string, retryAfterMs: number): void;
}

/** Call timeouts; the TCP/TLS connect timeout is set per provider on its HTTP agent. */
export interface TimeoutSettings {
  /** Streams: until the first content part. */
  firstTokenMs: number;
  /** The whole call. */
  totalMs: number;
}

/** The timers of one provider call, composed into one AbortSignal with a PROVIDER_TIMEOUT reason. */
export interface CallDeadline {
  signal: AbortSignal;
  /** Stops the first-token timer. */
  firstTokenReceived(): void;
  dispose(): void;
}
