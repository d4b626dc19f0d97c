import { isPlatformError } from '../errors/index.ts';
import type {
  BreakerPermit,
  CircuitBreakers,
  LimiterDecision,
  UpstreamLimiter,
  UpstreamQuota,
} from '../resilience/index.ts';

/**
 * True for a failure the request itself provoked (a simulated fault directive): it says nothing
 * about the shared deployment, so it must not change anyone else's service.
 */
export function isCallerFault(error: unknown): boolean {
  return isPlatformError(error) && error.faultScope === 'caller';
}

/** The name under which one organisation's own breaker and Retry-After pause for a deployment live. */
export function callerScopedDeployment(deployment: string, organizationId: string): string {
  return `${deployment}|organization:${organizationId}`;
}

/**
 * The upstream quota of a deployment, after the caller's own Retry-After pause on it (if it has
 * one); the shared buckets are only charged once the caller's pause allows the call.
 */
export function acquireQuota(
  limiter: UpstreamLimiter,
  deployment: string,
  callerScope: string | null,
  quota: UpstreamQuota,
  estimatedTokens: number,
): LimiterDecision {
  if (callerScope !== null) {
    const pause = limiter.tryAcquire(callerScope, {}, 0);
    if (!pause.allowed) return pause;
  }
  return limiter.tryAcquire(deployment, quota, estimatedTokens);
}

/** Only the provider's own failures count against its breaker: never a caller's bad request. */
function countsAgainstDeployment(error: unknown): boolean {
  return isPlatformError(error) && error.category === 'provider';
}

/**
 * Records a failed call: on the shared breaker when the deployment failed, on the caller's own
 * breaker when the caller provoked it (the shared permit is then handed back uncounted). A caller's
 * mistake counts as a success: the deployment answered.
 */
export async function recordFailure(
  breakers: CircuitBreakers,
  error: unknown,
  permits: {
    deployment: string;
    permit: BreakerPermit;
    callerScope: string | null;
    callerPermit: BreakerPermit | null;
  },
): Promise<void> {
  const { deployment, permit, callerScope, callerPermit } = permits;
  if (isCallerFault(error)) {
    await breakers.release(deployment, permit);
    if (callerScope !== null && callerPermit !== null) {
      await breakers.record(callerScope, 'failure', callerPermit);
    }
    return;
  }
  await breakers.record(deployment, countsAgainstDeployment(error) ? 'failure' : 'success', permit);
  if (callerScope !== null && callerPermit !== null) await breakers.release(callerScope, callerPermit);
}
