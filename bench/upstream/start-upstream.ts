import { fileURLToPath } from 'node:url';
import {
  baseEnvironment,
  type StartedProcess,
  startNode,
  waitForOutput,
} from '../support/child-processes.ts';
import { assertListensOnLoopbackOnly } from '../support/loopback-check.ts';

const serverPath = fileURLToPath(new URL('./upstream-server.ts', import.meta.url));

/** A running benchmark upstream: its origin (http://127.0.0.1:port) and process. */
export interface RunningUpstream {
  origin: string;
  process: StartedProcess;
}

/** Starts the OpenAI-compatible upstream in its own process. */
export async function startUpstream(
  options: { latencyMs?: number; chunkDelayMs?: number; slowFrameMs?: number } = {},
): Promise<RunningUpstream> {
  const started = startNode('upstream', ['--import', 'tsx', serverPath], {
    ...baseEnvironment(),
    LOG_LEVEL: 'warn',
    BENCH_UPSTREAM_PORT: '0',
    BENCH_UPSTREAM_LATENCY_MS: String(options.latencyMs ?? 0),
    BENCH_UPSTREAM_CHUNK_DELAY_MS: String(options.chunkDelayMs ?? 0),
    BENCH_UPSTREAM_SLOW_FRAME_MS: String(options.slowFrameMs ?? 500),
  });
  const match = await waitForOutput(started, /\{"port":(\d+)\}/, 20_000);
  const port = Number(match[1]);
  assertListensOnLoopbackOnly('upstream', port);
  return { origin: `http://127.0.0.1:${port}`, process: started };
}
