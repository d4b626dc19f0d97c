import {
  createTemporaryDatabase,
  postgresAvailable,
  redisAvailable,
  type TemporaryDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from '../../../platform/test/support/services.ts';
import { startTestApp, type TestApp, type TestAppOptions } from '../../../platform/test/support/test-app.ts';

export { createTenant, type TestApp } from '../../../platform/test/support/test-app.ts';

export type Backend = 'pglite' | 'postgres+redis';

/**
 * The backends the SDK suites run on: the embedded one always, PostgreSQL with Redis when both
 * answer (skipped loudly otherwise, as the platform's suites do; KIMI_REQUIRE_SERVICES=1 fails).
 */
export async function availableBackends(): Promise<Backend[]> {
  const postgres = await postgresAvailable();
  const redis = await redisAvailable();
  return postgres && redis ? ['pglite', 'postgres+redis'] : ['pglite'];
}

export interface RunningPlatform {
  testApp: TestApp;
  close(): Promise<void>;
}

/** The real platform, listening on loopback, on the given backend. */
export async function startPlatform(
  backend: Backend,
  options: Omit<TestAppOptions, 'listen' | 'databaseUrl' | 'redisUrl'> = {},
): Promise<RunningPlatform> {
  let temporary: TemporaryDatabase | undefined;
  if (backend === 'postgres+redis') temporary = await createTemporaryDatabase();
  const testApp = await startTestApp({
    ...options,
    listen: true,
    ...(temporary
      ? { databaseUrl: temporary.url, redisUrl: testRedisUrl, redisPrefix: uniqueRedisPrefix('sdk') }
      : {}),
  });
  return {
    testApp,
    async close() {
      await testApp.close();
      await temporary?.drop();
    },
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
}

/** A fetch that records every request it passes to the real one (counting retries). */
export function recordingFetch(
  alter?: (request: RecordedRequest, index: number) => RequestInit | undefined,
): typeof fetch & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const wrapped = async (input: string | URL | Request, init?: RequestInit) => {
    const recorded = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: new Headers(init?.headers),
    };
    requests.push(recorded);
    const change = alter?.(recorded, requests.length - 1);
    return fetch(input, change ? { ...init, ...change } : init);
  };
  return Object.assign(wrapped as typeof fetch, { requests });
}

/**
 * A fetch whose first `drops` responses matching `matches` break after `afterBytes` bytes of
 * body: the connection to the real server is cancelled and the reader sees a network error,
 * as when a proxy or a mobile network drops it. Transport injection, not a mock of the server.
 */
export function droppingFetch(
  matches: (url: string) => boolean,
  afterBytes: number,
  drops = 1,
): typeof fetch & { requests: RecordedRequest[]; dropped: number } {
  const state = { dropped: 0 };
  const recorder = recordingFetch();
  const wrapped = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await recorder(input, init);
    if (!matches(String(input)) || state.dropped >= drops || !response.body) return response;
    state.dropped += 1;
    const reader = response.body.getReader();
    let passed = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        const room = afterBytes - passed;
        if (value.byteLength < room) {
          passed += value.byteLength;
          controller.enqueue(value);
          return;
        }
        if (room > 0) controller.enqueue(value.subarray(0, room));
        passed = afterBytes;
        await reader.cancel('dropped by the test');
        controller.error(new TypeError('terminated: the connection was dropped'));
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  // why defineProperty: Object.assign would copy the getter's value once instead of the getter
  return Object.defineProperty(
    Object.assign(wrapped as typeof fetch, { requests: recorder.requests }),
    'dropped',
    {
      get: () => state.dropped,
    },
  ) as typeof fetch & { requests: RecordedRequest[]; dropped: number };
}
