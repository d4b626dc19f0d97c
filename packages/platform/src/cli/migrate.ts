import { prepareStore } from './prepare-store.ts';
import { loadSettings, openStore } from './runtime.ts';

/** `migrate`: apply migrations (and bootstrap an empty store), then exit. For deploy pipelines. */
export async function migrate(): Promise<void> {
  const settings = await loadSettings();
  const database = await openStore(settings);
  try {
    await prepareStore(database, settings);
    console.log('The store is migrated.');
  } finally {
    await database.close();
  }
}
