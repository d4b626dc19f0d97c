/** Where the load goes: an OpenAI-style chat completions URL on loopback, its headers and model name. */
export interface LoadEndpoint {
  url: string;
  headers: Record<string, string>;
  model: string;
  /** Which API the URL speaks; default Chat Completions. */
  api?: LoadApi;
}

/** The request shapes the load generator can send: the same question either way. */
export type LoadApi = 'chat-completions' | 'responses';

/**
 * How requests are sent. `open`: on a fixed timetable at `ratePerSecond`, whatever the target
 * does (latency counts from each request's scheduled start, so queuing shows). `closed`:
 * `concurrency` clients each sending the next request when the last one finished (max throughput).
 * `hold`: opens `streams` streams at `openRatePerSecond` and keeps them open until they end.
 */
export type LoadShape =
  | { kind: 'open'; ratePerSecond: number }
  | { kind: 'closed'; concurrency: number }
  | { kind: 'hold'; streams: number; openRatePerSecond: number };

/** One bounded run of the load generator. */
export interface LoadStep {
  endpoint: LoadEndpoint;
  stream: boolean;
  shape: LoadShape;
  /** Sent but not measured, so connections, JIT and caches are warm. */
  warmUpSeconds: number;
  durationSeconds: number;
  /** After the last scheduled request, how long outstanding ones may still finish before they count as errors. */
  drainSeconds: number;
  /** A request without its headers or next body byte for this long fails. */
  requestTimeoutMs: number;
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** What one step measured, over its measured requests (not the warm-up). */
export interface LoadResult {
  /** Requests per second asked for; null for closed loop and hold. */
  offeredRate: number | null;
  measuredRequests: number;
  succeeded: number;
  failed: number;
  /** Failures by kind: `status 502`, `timeout`, `UND_ERR_SOCKET`, `truncated`… */
  failures: Record<string, number>;
  /** Successful measured responses per second of measured time. */
  achievedRate: number;
  /** Time to the whole response (JSON) or to the first body byte (streams). */
  latency: LatencySummary;
  /** Time to the end of the response, for streams too. */
  completion: LatencySummary;
  /** How late the generator sent requests after their scheduled start (open loop only). */
  dispatchLag: LatencySummary;
  /** Streams open at once at the peak (hold only). */
  peakOpenStreams: number;
  connections: number;
  /**
   * The measured window on the machine's monotonic clock, in microseconds (process.hrtime and V8's
   * CPU profiles share it), so a profile can be cut to the window.
   */
  window: { fromMicroseconds: number; toMicroseconds: number };
}

/** Messages from the generator process to the benchmark. */
export type GeneratorMessage =
  | { type: 'progress'; fraction: number; openStreams: number; completed: number }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };
