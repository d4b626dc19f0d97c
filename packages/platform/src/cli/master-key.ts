import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMasterKey } from '../support/index.ts';
import type { Settings } from './settings.ts';

/**
 * The master key's 32 bytes: it seals provider keys and other secrets at rest, and browser
 * sessions derive their signing keys from it. KIMI_MASTER_KEY when set. On the embedded store
 * without it, one is generated once into <data dir>/master-key (mode 0600), so the single-process
 * default works out of the box. On PostgreSQL every replica must share the key, so none is invented.
 */
export async function loadMasterKey(settings: Settings): Promise<Buffer | null> {
  const configured = settings.environment.KIMI_MASTER_KEY;
  if (configured) {
    try {
      return parseMasterKey(configured);
    } catch (error) {
      throw new Error(`Invalid environment: KIMI_MASTER_KEY: ${(error as Error).message}`);
    }
  }
  if (settings.environment.DATABASE_URL) return null;
  const path = join(settings.dataDirectory, 'master-key');
  try {
    return parseMasterKey(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`Cannot read ${path}: ${(error as Error).message}`);
  }
  const key = randomBytes(32);
  await mkdir(settings.dataDirectory, { recursive: true, mode: 0o700 });
  await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return key;
}
