import { providerErrors } from '../errors/index.ts';
import type { CallDeadline } from './resilience-types.ts';

export interface CallDeadlineOptions {
  /** The request's own signal (the client went away, or the whole request timed out). */
  parent: AbortSignal;
  /** Named in the timeout error. */
  provider: string;
  /** Streams: the longest wait for the first content part; none when omitted. */
  firstTokenMs?: number;
  /** The longest the whole call may take. */
  totalMs: number;
}

// why: setTimeout fires at once for delays above 2^31 − 1 ms; such a deadline means "no deadline".
const longestTimerMs = 2 ** 31 - 1;

/**
 * The deadline of one provider call as one AbortSignal. It aborts with the parent's reason when
 * the parent aborts, or with a retryable PROVIDER_TIMEOUT when the first-token or the total timer
 * fires first. Always `dispose()` it once the call has finished: that clears both timers and
 * detaches from the parent, so a long-lived parent does not collect listeners.
 */
export function createCallDeadline(options: CallDeadlineOptions): CallDeadline {
  const { parent, provider, firstTokenMs, totalMs } = options;
  const controller = new AbortController();
  let firstTokenTimer: NodeJS.Timeout | undefined;
  let totalTimer: NodeJS.Timeout | undefined;

  const dispose = () => {
    clearTimeout(firstTokenTimer);
    clearTimeout(totalTimer);
    firstTokenTimer = undefined;
    totalTimer = undefined;
    parent.removeEventListener('abort', onParentAbort);
  };
  const abort = (reason: unknown) => {
    dispose();
    controller.abort(reason);
  };
  function onParentAbort() {
    abort(parent.reason);
  }
  const startTimer = (milliseconds: number | undefined): NodeJS.Timeout | undefined => {
    if (milliseconds === undefined || !(milliseconds <= longestTimerMs)) return undefined;
    const afterMs = Math.max(0, milliseconds);
    const timer = setTimeout(() => abort(providerErrors.timeout(provider, afterMs)), afterMs);
    // why: a pending deadline must not keep a shutting-down process alive; the call's socket does that.
    timer.unref();
    return timer;
  };

  if (parent.aborted) {
    controller.abort(parent.reason);
  } else {
    parent.addEventListener('abort', onParentAbort, { once: true });
    totalTimer = startTimer(totalMs);
    if (firstTokenMs !== undefined && firstTokenMs < totalMs) firstTokenTimer = startTimer(firstTokenMs);
  }

  return {
    signal: controller.signal,
    firstTokenReceived() {
      clearTimeout(firstTokenTimer);
      firstTokenTimer = undefined;
    },
    dispose,
  };
}
