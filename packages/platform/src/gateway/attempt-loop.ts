import { isPlatformError, type PlatformError, providerErrors } from '../errors/index.ts';
import type {
  BreakerPermit,
  CallDeadline,
  CircuitBreakers,
  RetryBudget,
  RetrySettings,
  UpstreamLimiter,
  UpstreamQuota,
} from '../resilience/index.ts';
import type { FallbackReason, RouteCandidate, RoutePlan } from '../routing/index.ts';
import type { Clock, RandomSource } from '../support/index.ts';
import type { Tracing } from '../telemetry/index.ts';
import { traceAttempt } from './attempt-span.ts';
import { acquireQuota, callerScopedDeployment, isCallerFault, recordFailure } from './caller-fault-scope.ts';

/** Per-deployment resilience settings, resolved from `routing.defaults` and `routing.deployments`. */
export interface DeploymentPolicy {
  retry: RetrySettings;
  firstTokenMs: number;
  totalMs: number;
  quota: UpstreamQuota;
}

export interface AttemptLoopDependencies {
  breakers: CircuitBreakers;
  limiter: UpstreamLimiter;
  retryBudget: RetryBudget;
  clock: Clock;
  random: RandomSource;
  policyFor(deployment: string): DeploymentPolicy;
  retryDelayMs(
    attempt: number,
    settings: RetrySettings,
    random: RandomSource,
    retryAfterMs?: number,
  ): number | null;
  isRetryable(error: unknown): boolean;
  createDeadline(options: {
    parent: AbortSignal;
    provider: string;
    firstTokenMs?: number;
    totalMs: number;
  }): CallDeadline;
  /**
   * Called around each provider call, for latency/error statistics. `callerFault` marks a failure
   * the request itself provoked, which says nothing about the deployment.
   */
  observe?(deployment: string): {
    end(outcome: { ok: boolean; latencyMs: number; callerFault?: boolean }): void;
  };
  /**
   * True when simulated deployments may raise faults their caller provoked (`providers.sim.fault_directives`):
   * each organisation then also has its own breaker and Retry-After pause on those deployments, where
   * its provoked faults are recorded instead of on the shared ones.
   */
  callerFaultScopes?: boolean;
  /** Spans for each attempt; none without it. */
  tracing?: Tracing;
}

export interface AttemptOutcome<Value> {
  value: Value;
  candidate: RouteCandidate;
  /** The successful call's deadline, still running: the caller disposes it when the call is done. */
  deadline: CallDeadline;
  /** Provider calls made, including the successful one. */
  attempts: number;
  /** Why the request left its first choice; null when the first choice served it. */
  fallbackReason: FallbackReason | null;
}

/** An attempt loop failure keeps the attempts made, so the usage record can store them. */
export class AttemptsExhausted extends Error {
  readonly lastError: unknown;
  readonly attempts: number;
  readonly lastCandidate: RouteCandidate | null;
  constructor(lastError: unknown, attempts: number, lastCandidate: RouteCandidate | null) {
    super('every candidate failed');
    this.lastError = lastError;
    this.attempts = attempts;
    this.lastCandidate = lastCandidate;
  }
}

function reasonFor(error: unknown): FallbackReason {
  if (!isPlatformError(error)) return 'error';
  if (error.code === 'PROVIDER_RATE_LIMITED') return 'rate_limited';
  if (error.code === 'PROVIDER_TIMEOUT') return 'timeout';
  if (error.code === 'CONTEXT_LENGTH_EXCEEDED') return 'context_window';
  if (error.code === 'CONTENT_FILTERED') return 'content_policy';
  return 'error';
}

/**
 * Walks the plan's candidates: skips open breakers and exhausted upstream quotas, retries retryable
 * failures on the same deployment with backoff (honouring Retry-After, within the retry budget),
 * then falls back to the next candidate. A caller's mistake (a non-retryable 4xx) stops at once,
 * except context-window and content-policy refusals, which switch to their configured fallbacks.
 * `invoke` must resolve only once the call has produced content (for streams: the first part), so
 * a stream that fails before its first byte still falls back.
 *
 * A failure the caller provoked (see {@link isCallerFault}) is recorded on the caller's own breaker
 * and pause for the deployment, never on the shared ones, and its retries spend no shared retry
 * budget: one tenant's fault injection must not change another tenant's service.
 */
export async function runAttempts<Value>(
  plan: RoutePlan,
  call: {
    signal: AbortSignal;
    /** The caller's organisation: faults its own requests provoke are kept to it. */
    organizationId: string;
    estimatedTokens: number;
    totalTimeoutMs?: number;
    /** The candidates of another group, sized for this request (context-window and content-policy fallbacks). */
    expandGroup: (group: string) => RouteCandidate[];
  },
  dependencies: AttemptLoopDependencies,
  invoke: (candidate: RouteCandidate, deadline: CallDeadline) => Promise<Value>,
): Promise<AttemptOutcome<Value>> {
  const queue = [...plan.candidates];
  const tried = new Set<string>();
  let attempts = 0;
  let fallbackReason: FallbackReason | null = null;
  // why: created only when every candidate has failed; an Error captures a stack, which is not free.
  let lastError: unknown;
  let lastCandidate: RouteCandidate | null = null;
  const skipped: string[] = [];
  let shortestQuotaWaitMs: number | undefined;
  dependencies.retryBudget.recordRequest();

  const leaveCandidate = (reason: FallbackReason) => {
    fallbackReason ??= reason;
  };

  for (let index = 0; index < queue.length; index++) {
    const candidate = queue[index]!;
    const deployment = candidate.model.publicId;
    if (tried.has(deployment)) continue;
    tried.add(deployment);
    if (call.signal.aborted) throw call.signal.reason;

    // The upstream quota first: it is local and cheap, and skipping here spends no breaker probe.
    const policy = dependencies.policyFor(deployment);
    const callerScope =
      dependencies.callerFaultScopes === true && candidate.model.provider.simulated === true
        ? callerScopedDeployment(deployment, call.organizationId)
        : null;
    const quota = acquireQuota(
      dependencies.limiter,
      deployment,
      callerScope,
      policy.quota,
      call.estimatedTokens,
    );
    if (!quota.allowed) {
      // Divert while another candidate remains; on the last one, wait if the wait is short.
      const wait = quota.retryAfterMs;
      if (index < queue.length - 1 || wait > policy.retry.maxDelayMs) {
        skipped.push(`${deployment}: upstream quota (free in ${Math.ceil(wait)} ms)`);
        shortestQuotaWaitMs = Math.min(shortestQuotaWaitMs ?? wait, wait);
        leaveCandidate('quota');
        continue;
      }
      await dependencies.clock.sleep(wait, call.signal);
    }
    const permit: BreakerPermit = await dependencies.breakers.acquire(deployment);
    if (!permit.allowed) {
      dependencies.limiter.settle(deployment, policy.quota, call.estimatedTokens, 0);
      skipped.push(`${deployment}: circuit open`);
      leaveCandidate('circuit_open');
      continue;
    }
    const callerPermit = callerScope === null ? null : await dependencies.breakers.acquire(callerScope);
    if (callerPermit !== null && !callerPermit.allowed) {
      await dependencies.breakers.release(deployment, permit);
      dependencies.limiter.settle(deployment, policy.quota, call.estimatedTokens, 0);
      skipped.push(`${deployment}: circuit open for this organisation`);
      leaveCandidate('circuit_open');
      continue;
    }
    const probing = permit.probe || callerPermit?.probe === true;

    for (let attempt = 1; ; attempt++) {
      attempts++;
      lastCandidate = candidate;
      const deadline = dependencies.createDeadline({
        parent: call.signal,
        provider: candidate.model.provider.name,
        firstTokenMs: policy.firstTokenMs,
        totalMs: call.totalTimeoutMs ?? policy.totalMs,
      });
      const observation = dependencies.observe?.(deployment);
      const started = performance.now();
      try {
        const value = await traceAttempt(
          dependencies.tracing,
          { deployment, number: attempts, fallbackReason: index === 0 ? null : fallbackReason },
          () => invoke(candidate, deadline),
        );
        observation?.end({ ok: true, latencyMs: performance.now() - started });
        await dependencies.breakers.record(deployment, 'success', permit);
        if (callerScope !== null && callerPermit !== null) {
          await dependencies.breakers.record(callerScope, 'success', callerPermit);
        }
        return { value, candidate, deadline, attempts, fallbackReason: index === 0 ? null : fallbackReason };
      } catch (error) {
        const callerFault = isCallerFault(error);
        observation?.end({ ok: false, latencyMs: performance.now() - started, callerFault });
        deadline.dispose();
        lastError = error;
        if (call.signal.aborted) throw call.signal.reason;
        await recordFailure(dependencies.breakers, error, { deployment, permit, callerScope, callerPermit });
        const reason = reasonFor(error);
        if (!dependencies.isRetryable(error)) {
          const special =
            reason === 'context_window'
              ? plan.contextWindowFallback
              : reason === 'content_policy'
                ? plan.contentPolicyFallback
                : null;
          if (special) {
            queue.splice(index + 1, 0, ...call.expandGroup(special));
            leaveCandidate(reason);
            break;
          }
          // The caller's own mistake would fail the same way everywhere: stop here.
          throw new AttemptsExhausted(error, attempts, candidate);
        }
        const retryAfterMs = (error as PlatformError).retryAfterMs;
        const pausedDeployment = callerFault ? callerScope : deployment;
        if (retryAfterMs !== undefined && pausedDeployment !== null) {
          dependencies.limiter.pause(pausedDeployment, retryAfterMs);
        }
        const delay =
          attempt < policy.retry.maxAttempts &&
          !probing &&
          (callerFault || dependencies.retryBudget.tryAcquireRetry())
            ? dependencies.retryDelayMs(attempt, policy.retry, dependencies.random, retryAfterMs)
            : null;
        if (delay === null) {
          leaveCandidate(reason);
          break;
        }
        await dependencies.clock.sleep(delay, call.signal);
      }
    }
  }
  if (attempts === 0 && skipped.length > 0) {
    const detail = `no deployment for '${plan.requestedModel}' can take the request now (${skipped.join('; ')})`;
    // Held back only by upstream quotas (or a provider's Retry-After): say when to come back.
    lastError =
      shortestQuotaWaitMs !== undefined && skipped.length === plan.candidates.length
        ? providerErrors.rateLimited('gateway', detail, shortestQuotaWaitMs)
        : providerErrors.unavailable('gateway', detail);
  }
  lastError ??= providerErrors.unavailable(
    'gateway',
    `no deployment is available for '${plan.requestedModel}'`,
  );
  throw new AttemptsExhausted(lastError, attempts, lastCandidate);
}
