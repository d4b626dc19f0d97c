import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnvironment, startNode, stopProcess, waitForOutput } from '../support/child-processes.ts';
import { freeLoopbackPort } from '../support/free-port.ts';
import { assertListensOnLoopbackOnly } from '../support/loopback-check.ts';
import { type RunningTarget, upstreamModel } from './target.ts';

const loopbackPreload = fileURLToPath(new URL('./listen-on-loopback.ts', import.meta.url));
const streamHeadersPreload = fileURLToPath(new URL('./portkey-stream-headers.ts', import.meta.url));

/** The installed version of @portkey-ai/gateway (a devDependency of bench/). */
export function portkeyVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@portkey-ai/gateway/package.json') as { version: string }).version;
}

function portkeyServerPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@portkey-ai/gateway/package.json')), 'build', 'start-server.js');
}

/**
 * Starts Portkey's open-source gateway (`build/start-server.js --port=N --headless`, as its
 * `start:node` script does) and points it at the upstream per request with its headers:
 * `x-portkey-provider: openai` and `x-portkey-custom-host: <upstream>/v1` (127.0.0.1 is on its
 * default list of trusted custom hosts). It binds every interface by itself, so it runs with a
 * preload that binds 127.0.0.1, and with one that lets its streams work on Node 20 (see
 * portkey-stream-headers.ts).
 */
export async function startPortkey(upstreamOrigin: string): Promise<RunningTarget> {
  const port = await freeLoopbackPort();
  const started = startNode(
    'portkey',
    [
      '--import',
      'tsx',
      '--import',
      loopbackPreload,
      '--import',
      streamHeadersPreload,
      portkeyServerPath(),
      `--port=${port}`,
      '--headless',
    ],
    { ...baseEnvironment(), LOG_LEVEL: 'warn', NODE_ENV: 'production' },
  );
  await waitForOutput(started, /Ready for connections/, 30_000);
  assertListensOnLoopbackOnly('portkey', port);
  return {
    key: 'portkey',
    name: `Portkey gateway ${portkeyVersion()}`,
    endpoint: {
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: {
        authorization: 'Bearer bench-placeholder',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${upstreamOrigin}/v1`,
      },
      model: upstreamModel,
    },
    process: started,
    stop: () => stopProcess(started),
  };
}
