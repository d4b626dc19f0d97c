import { afterAll, beforeAll } from 'vitest';
import type { Provider } from '../../model/index.ts';
import { type FixtureServer, startFixtureServer } from './fixture-server.ts';
import { FixtureFolder } from './fixtures.ts';

/** A contract suite's parts: its fixtures, and the server and provider that exist while it runs. */
export interface FixtureSuite {
  readonly fixtures: FixtureFolder;
  readonly server: FixtureServer;
  readonly provider: Provider;
}

/** Starts a fixture server and the provider under test before the suite, and closes it after. */
export function useFixtureSuite(fixtures: URL, createProvider: (baseUrl: string) => Provider): FixtureSuite {
  let server: FixtureServer | undefined;
  let provider: Provider | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
    provider = createProvider(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });
  const started = <Part>(part: Part | undefined): Part => {
    if (part === undefined) throw new Error('the fixture suite has not started');
    return part;
  };
  return {
    fixtures: new FixtureFolder(fixtures),
    get server() {
      return started(server);
    },
    get provider() {
      return started(provider);
    },
  };
}
