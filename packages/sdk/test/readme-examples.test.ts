import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningPlatform, startPlatform } from './support/platform.ts';

/**
 * The README's TypeScript examples, run in order as one module against the real platform (the
 * admin key as KIMI_API_KEY), so a renamed method or a wrong field in the docs fails here.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const examplePath = new URL('./readme-example.generated.ts', import.meta.url);

/** One module: the blocks' imports merged at the top, their code after. */
function exampleModule(baseUrl: string): string {
  const names = new Set<string>();
  const code: string[] = [];
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      const imported = /^import \{ (.+) \} from '@kimi\/sdk';$/.exec(line);
      if (imported) for (const name of (imported[1] as string).split(', ')) names.add(name);
      else code.push(line);
    }
  }
  return `import { ${[...names].join(', ')} } from '../src/index.ts';\n${code.join('\n')}\nexport {};\n`.replaceAll(
    'http://localhost:8080',
    baseUrl,
  );
}

describe('the README examples', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform('pglite');
  }, 60_000);

  afterAll(async () => {
    await rm(examplePath, { force: true });
    vi.unstubAllEnvs();
    await platform?.close();
  });

  it('run against the platform without an error', async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    vi.stubEnv('KIMI_API_KEY', platform.testApp.adminKey);
    vi.stubEnv('KIMI_BASE_URL', platform.testApp.baseUrl);
    await writeFile(examplePath, exampleModule(platform.testApp.baseUrl));
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
      printed.push(values);
    });
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await import(examplePath.href);
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
    expect(printed.flat()).toContain('ready');
  }, 60_000);
});
