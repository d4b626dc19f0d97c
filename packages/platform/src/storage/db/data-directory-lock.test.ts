import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDirectory } from './data-directory-lock.ts';
import { createPgliteDatabase } from './pglite-database.ts';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'kimi-lock-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
  await rm(`${directory}.lock`, { force: true });
});

describe('embedded data directory lock', () => {
  it('refuses a second open of the same PGlite directory until the first closes', async () => {
    const first = await createPgliteDatabase({ dataDirectory: directory });
    await expect(createPgliteDatabase({ dataDirectory: directory })).rejects.toThrow(
      /already open in this process/,
    );
    await first.close();
    const second = await createPgliteDatabase({ dataDirectory: directory });
    await second.close();
  }, 30_000);

  it('refuses a directory locked by another live process, naming it', async () => {
    // A live process other than us: our parent.
    await writeFile(`${directory}.lock`, String(process.ppid));
    expect(() => lockDataDirectory(directory)).toThrow(new RegExp(`in use by process ${process.ppid}`));
  });

  it('takes over a lock left by a killed process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    await writeFile(`${directory}.lock`, dead.stdout.trim());
    const release = lockDataDirectory(directory);
    expect((await readFile(`${directory}.lock`, 'utf8')).trim()).toBe(String(process.pid));
    release();
    await expect(readFile(`${directory}.lock`, 'utf8')).rejects.toThrow();
  });

  it('takes over a stale lock that carries our own pid (a restarted container)', async () => {
    await writeFile(`${directory}.lock`, String(process.pid));
    const release = lockDataDirectory(directory);
    release();
  });
});
