import { type FixtureServer, startFixtureServer } from '../../src/providers/contract/fixture-server.ts';
import { createTenant, startTestApp, type TestApp } from './test-app.ts';

/** The platform with one real provider adapter pointed at a loopback fixture server, and a tenant. */
export interface AppBehindUpstream {
  upstream: FixtureServer;
  testApp: TestApp;
  /** The tenant's API key. */
  secret: string;
  close(): Promise<void>;
}

/** Starts a fixture server, then the platform with `provider` (e.g. `openai`) sent to it. */
export async function startAppBehindUpstream(provider: 'openai' | 'anthropic'): Promise<AppBehindUpstream> {
  const upstream = await startFixtureServer();
  const testApp = await startTestApp({
    listen: true,
    config: {
      providers: { [provider]: { base_url: upstream.baseUrl, api_key: `sk-${provider}-platform-key` } },
    },
  });
  const { secret } = await createTenant(testApp);
  return {
    upstream,
    testApp,
    secret,
    async close() {
      await testApp.close();
      await upstream.close();
    },
  };
}
