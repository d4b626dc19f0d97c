import { isPlatformError, type PlatformError, providerErrors } from '../../errors/index.ts';
import type { Clock, RandomSource } from '../../support/index.ts';
import type { FaultDirectives } from './fault-directives.ts';
import type { SimulatedModelSettings } from './simulated-api.ts';

const providerName = 'sim';
/** How long a hung call without an AbortSignal waits before the simulated upstream gives up. */
const upstreamTimeoutMs = 60_000;

/** A failure chosen for one call, by directive or by chance. */
export type Fault =
  | { kind: 'error'; error: PlatformError }
  | { kind: 'hang' }
  | { kind: 'stream-interrupted'; afterDeltas: number | undefined };

/** What a call needs to wait and to fail like a real upstream. */
export interface FaultEnvironment {
  clock: Clock;
  random: RandomSource;
  signal: AbortSignal | undefined;
}

/**
 * Directives win over chance. Chance uses one uniform draw per call, so over many calls each
 * share comes out as configured and a retry of a failed call can succeed.
 */
export function decideFault(
  settings: SimulatedModelSettings,
  directives: FaultDirectives,
  random: RandomSource,
): Fault | undefined {
  if (directives.timeout) return { kind: 'hang' };
  if (directives.errorStatus !== undefined)
    return { kind: 'error', error: errorForStatus(directives, settings) };
  if (directives.streamFailAfter !== undefined) {
    return { kind: 'stream-interrupted', afterDeltas: directives.streamFailAfter };
  }
  const shares = [
    settings.failure_rate,
    settings.rate_limit_rate,
    settings.timeout_rate,
    settings.mid_stream_failure_rate,
  ];
  if (shares.every((share) => share === 0)) return undefined;
  const draw = random();
  let threshold = settings.failure_rate;
  if (draw < threshold) return { kind: 'error', error: upstreamUnavailable(503) };
  threshold += settings.rate_limit_rate;
  if (draw < threshold) return { kind: 'error', error: rateLimited(settings.retry_after_ms) };
  threshold += settings.timeout_rate;
  if (draw < threshold) return { kind: 'hang' };
  threshold += settings.mid_stream_failure_rate;
  if (draw < threshold) return { kind: 'stream-interrupted', afterDeltas: undefined };
  return undefined;
}

function errorForStatus(directives: FaultDirectives, settings: SimulatedModelSettings): PlatformError {
  const status = directives.errorStatus ?? 503;
  if (status === 429) return rateLimited(directives.retryAfterMs ?? settings.retry_after_ms);
  if (status === 408 || status === 504) return providerErrors.timeout(providerName, 0);
  return upstreamUnavailable(status);
}

/** The 5xx-like failure of a simulated upstream. */
export function upstreamUnavailable(status: number): PlatformError {
  return providerErrors.unavailable(providerName, `simulated upstream failure (HTTP ${status}).`);
}

function rateLimited(retryAfterMs: number): PlatformError {
  return providerErrors.rateLimited(providerName, 'simulated rate limit (HTTP 429).', retryAfterMs);
}

/** The error of a stream that breaks off, and of a non-stream call told to break off. */
export function streamInterrupted(): PlatformError {
  return providerErrors.streamInterrupted(providerName, 'simulated connection reset.');
}

/** Waits the model's latency plus jitter; a directive's latency replaces the configured one. */
export async function waitForFirstByte(
  settings: SimulatedModelSettings,
  directives: FaultDirectives,
  environment: FaultEnvironment,
): Promise<void> {
  const latency = directives.latencyMs ?? settings.latency_ms;
  const jitter = settings.jitter_ms > 0 ? environment.random() * settings.jitter_ms : 0;
  await pause(latency + jitter, environment);
}

/**
 * Sleeps on the injected clock. An abort rejects with the caller's reason when that is a
 * PlatformError (the gateway's own timeout), otherwise with PROVIDER_TIMEOUT, so callers only
 * ever see coded errors.
 */
export async function pause(milliseconds: number, environment: FaultEnvironment): Promise<void> {
  const startedAt = environment.clock.now();
  throwIfAborted(environment, startedAt);
  if (milliseconds <= 0) return;
  try {
    await environment.clock.sleep(milliseconds, environment.signal);
  } catch (reason) {
    throw abortError(reason, environment, startedAt);
  }
}

/** Rejects at once when the call was already aborted. */
export function throwIfAborted(environment: FaultEnvironment, startedAt: number): void {
  if (environment.signal?.aborted) throw abortError(environment.signal.reason, environment, startedAt);
}

/** Never resolves: rejects when the call is aborted, as a real hung upstream would. */
export async function hangUntilAborted(environment: FaultEnvironment): Promise<never> {
  const startedAt = environment.clock.now();
  const { signal } = environment;
  if (signal === undefined) {
    await environment.clock.sleep(upstreamTimeoutMs);
    throw providerErrors.timeout(providerName, upstreamTimeoutMs);
  }
  throwIfAborted(environment, startedAt);
  return new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(abortError(signal.reason, environment, startedAt)), {
      once: true,
    });
  });
}

function abortError(reason: unknown, environment: FaultEnvironment, startedAt: number): PlatformError {
  if (isPlatformError(reason)) return reason;
  return providerErrors.timeout(providerName, Math.max(0, environment.clock.now() - startedAt));
}
