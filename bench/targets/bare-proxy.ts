import { fileURLToPath } from 'node:url';
import { baseEnvironment, startNode, stopProcess, waitForOutput } from '../support/child-processes.ts';
import { assertListensOnLoopbackOnly } from '../support/loopback-check.ts';
import { type RunningTarget, upstreamModel } from './target.ts';

const serverPath = fileURLToPath(new URL('./bare-proxy-server.ts', import.meta.url));

/** Starts the bare Node proxy (the floor) in front of the upstream. */
export async function startBareProxy(upstreamOrigin: string): Promise<RunningTarget> {
  const started = startNode('bare proxy', ['--import', 'tsx', serverPath], {
    ...baseEnvironment(),
    LOG_LEVEL: 'warn',
    BENCH_UPSTREAM_ORIGIN: upstreamOrigin,
    BENCH_PROXY_PORT: '0',
  });
  const match = await waitForOutput(started, /\{"port":(\d+)\}/, 20_000);
  const port = Number(match[1]);
  assertListensOnLoopbackOnly('bare proxy', port);
  return {
    key: 'bare',
    name: 'bare Node proxy',
    endpoint: {
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: { authorization: 'Bearer bench-placeholder' },
      model: upstreamModel,
    },
    process: started,
    stop: () => stopProcess(started),
  };
}
