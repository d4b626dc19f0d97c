import { existsSync, readFileSync } from 'node:fs';
import type { FixtureResponse } from './fixture-server.ts';

/**
 * A provider's `__fixtures__/` folder. Per scenario, one of:
 * - `<scenario>.json`: a 200 JSON body;
 * - `<scenario>.chunks.txt`: an SSE body, exactly as the provider sends it;
 * - `<scenario>.error.json`: `{ "status": 429, "headers": { … }, "body": { … } }`;
 * and optionally `<scenario>.request.json`: a subset the upstream request body must contain.
 */
export class FixtureFolder {
  readonly #directory: URL;

  constructor(directory: URL) {
    this.#directory = directory;
  }

  #path(name: string): URL {
    return new URL(name, this.#directory);
  }

  has(scenario: string): boolean {
    return ['.json', '.chunks.txt', '.error.json'].some((suffix) =>
      existsSync(this.#path(`${scenario}${suffix}`)),
    );
  }

  response(scenario: string): FixtureResponse {
    const errorPath = this.#path(`${scenario}.error.json`);
    if (existsSync(errorPath)) {
      const fixture = JSON.parse(readFileSync(errorPath, 'utf8')) as {
        status: number;
        headers?: Record<string, string>;
        body: unknown;
      };
      return {
        kind: 'json',
        status: fixture.status,
        ...(fixture.headers ? { headers: fixture.headers } : {}),
        body: fixture.body,
      };
    }
    const chunksPath = this.#path(`${scenario}.chunks.txt`);
    if (existsSync(chunksPath)) return { kind: 'stream', text: readFileSync(chunksPath, 'utf8') };
    return {
      kind: 'json',
      status: 200,
      body: JSON.parse(readFileSync(this.#path(`${scenario}.json`), 'utf8')),
    };
  }

  expectedRequest(scenario: string): unknown {
    const path = this.#path(`${scenario}.request.json`);
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
  }
}
