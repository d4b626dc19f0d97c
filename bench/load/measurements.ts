import { summarise } from '../support/percentiles.ts';
import type { LoadResult } from './load-types.ts';
import type { RequestOutcome } from './send-request.ts';

const nanosecondsPerMillisecond = 1e6;

/** Collects the measured requests of one step and turns them into a LoadResult. */
export class Measurements {
  readonly #stream: boolean;
  readonly #latencies: number[] = [];
  readonly #completions: number[] = [];
  readonly #lags: number[] = [];
  readonly #failures = new Map<string, number>();
  #succeeded = 0;
  #firstStart = 0n;
  #lastEnd = 0n;

  constructor(stream: boolean) {
    this.#stream = stream;
  }

  /** Records a measured request that was due at `startedAt` and actually sent at `sentAt`. */
  record(startedAt: bigint, sentAt: bigint, outcome: RequestOutcome): void {
    if (this.#firstStart === 0n || startedAt < this.#firstStart) this.#firstStart = startedAt;
    this.#lags.push(Number(sentAt - startedAt) / nanosecondsPerMillisecond);
    if (!outcome.ok) {
      this.#failures.set(outcome.failure, (this.#failures.get(outcome.failure) ?? 0) + 1);
      return;
    }
    this.#succeeded++;
    if (outcome.endAt > this.#lastEnd) this.#lastEnd = outcome.endAt;
    const answeredAt = this.#stream ? outcome.firstByteAt : outcome.endAt;
    this.#latencies.push(Number(answeredAt - startedAt) / nanosecondsPerMillisecond);
    this.#completions.push(Number(outcome.endAt - startedAt) / nanosecondsPerMillisecond);
  }

  /**
   * The result. The achieved rate divides the successes by the time from the first measured start
   * to the later of the last answer and `windowEnd`, so a target that falls behind shows a lower rate.
   */
  result(options: {
    offeredRate: number | null;
    windowStart: bigint;
    windowEnd: bigint;
    connections: number;
    peakOpenStreams?: number;
  }): LoadResult {
    // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
    const end = this.#lastEnd > options.windowEnd ? this.#lastEnd : options.windowEnd;
    const seconds = this.#firstStart === 0n ? 0 : Number(end - this.#firstStart) / 1e9;
    const failed = [...this.#failures.values()].reduce((sum, count) => sum + count, 0);
    return {
      offeredRate: options.offeredRate,
      measuredRequests: this.#succeeded + failed,
      succeeded: this.#succeeded,
      failed,
      failures: Object.fromEntries(this.#failures),
      achievedRate: seconds > 0 ? this.#succeeded / seconds : 0,
      latency: summarise(this.#latencies),
      completion: summarise(this.#completions),
      dispatchLag: summarise(this.#lags),
      peakOpenStreams: options.peakOpenStreams ?? 0,
      connections: options.connections,
      window: {
        fromMicroseconds: Number(options.windowStart / 1000n),
        toMicroseconds: Number(options.windowEnd / 1000n),
      },
    };
  }
}
