import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Database, migrateDatabase } from '../storage/db/index.ts';
import { bootstrapTenancy } from '../tenancy/index.ts';
import type { Settings } from './runtime.ts';

/**
 * Applies migrations and, on an empty store, creates the bootstrap organisation and admin key.
 * The key is printed once and written to <data dir>/admin-key with mode 0600.
 */
export async function prepareStore(database: Database, settings: Settings): Promise<void> {
  const { applied } = await migrateDatabase(database);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
  const outcome = await bootstrapTenancy(database, {
    organizationName: 'default',
    ...(settings.environment.KIMI_ADMIN_KEY ? { adminSecret: settings.environment.KIMI_ADMIN_KEY } : {}),
  });
  const keyFile = join(settings.dataDirectory, 'admin-key');
  if (outcome.created) {
    await mkdir(settings.dataDirectory, { recursive: true, mode: 0o700 });
    await writeFile(keyFile, `${outcome.secret}\n`, { mode: 0o600 });
    await chmod(keyFile, 0o600);
    if (!settings.environment.KIMI_ADMIN_KEY) {
      const line = '='.repeat(78);
      console.log(
        `\n${line}\nCreated organization '${outcome.organizationId}' and its platform admin API key.\n` +
          `It is shown only this once, and saved to ${keyFile} (mode 0600):\n\n    ${outcome.secret}\n${line}\n`,
      );
    }
  }
}
