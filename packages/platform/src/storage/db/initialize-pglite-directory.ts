import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs in the child: creating PGlite on an empty directory runs initdb there, then it closes. */
const initializeScript = [
  'const [modulePath, directory] = process.argv.slice(1);',
  'const { PGlite } = require(modulePath);',
  'PGlite.create({ dataDir: directory })',
  '  .then((database) => database.close())',
  '  .catch((error) => { console.error(error); process.exit(1); });',
].join('\n');

/**
 * Creates the Postgres cluster in a new embedded data directory in a short-lived child process.
 * why: PGlite runs initdb in a second WASM instance of its own inside the calling process; the
 * memory that instance touched (about 500 MB) stays resident for the life of the process even
 * after it is freed, so a server that initialised its own directory would run at about 850 MB
 * instead of about 360 MB. An existing directory is left alone.
 */
export async function initializePgliteDirectory(dataDirectory: string): Promise<void> {
  if (existsSync(join(dataDirectory, 'PG_VERSION'))) return;
  const modulePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  try {
    await run(process.execPath, ['--eval', initializeScript, modulePath, dataDirectory], {
      timeout: 120_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(
      `Could not create the embedded store in ${dataDirectory}: ${stderr || (error as Error).message}`,
    );
  }
}
