import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * why: a lock belongs to a process, so which paths this process holds is process-wide state by
 * nature; it tells our own second open apart from a stale file left by an earlier process that had
 * the same pid (common in containers, where the server is often pid 1).
 */
const heldByThisProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on an embedded data directory, so a second process (another `npm start`,
 * or `migrate` beside a running server) fails with a clear message instead of corrupting PGlite's
 * files, which have no lock of their own. A lock left by a killed process is taken over.
 */
export function lockDataDirectory(directory: string): () => void {
  // Beside the directory, not in it: the data directory belongs to Postgres alone.
  const path = `${directory}.lock`;
  if (heldByThisProcess.has(path)) {
    throw new Error(`The embedded store at ${directory} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const descriptor = openSync(path, 'wx', 0o600);
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      heldByThisProcess.add(path);
      return () => {
        heldByThisProcess.delete(path);
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded store at ${directory} is in use by process ${holder}. ` +
            'Stop that process first, or set DATABASE_URL to share a PostgreSQL database between processes.',
        );
      }
      unlinkSync(path);
    }
  }
  throw new Error(`Could not lock the embedded store at ${directory}.`);
}
