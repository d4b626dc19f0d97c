/**
 * What must happen however the benchmark ends (done, error, Ctrl-C): stop processes, remove
 * temporary directories, drop a scratch database. Synchronous tasks also run on a plain exit;
 * asynchronous ones run on a signal or an uncaught error, bounded to a few seconds.
 */
export interface CleanupTask {
  /** Runs on every exit, so it must be synchronous (kill, rmSync). */
  now?: () => void;
  /** Runs after the synchronous tasks on a signal or a crash (e.g. dropping a database). */
  later?: () => Promise<void>;
}

const tasks = new Set<CleanupTask>();
let installed = false;

function runNow(): void {
  for (const task of tasks) {
    try {
      task.now?.();
    } catch {
      // Best effort: one failed task must not keep the others from running.
    }
  }
}

async function cleanUpAndExit(code: number): Promise<void> {
  runNow();
  const later = [...tasks].flatMap((task) => (task.later ? [task.later().catch(() => undefined)] : []));
  tasks.clear();
  await Promise.race([Promise.all(later), new Promise((resolve) => setTimeout(resolve, 5000))]);
  process.exit(code);
}

/** Installs the exit, signal and crash handlers (once). */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
      void cleanUpAndExit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`\n${error.stack ?? error.message}\n`);
    void cleanUpAndExit(1);
  });
}

/** Registers a task; call the returned function once the task is done the ordinary way. */
export function onCleanup(task: CleanupTask): () => void {
  installCleanup();
  tasks.add(task);
  return () => tasks.delete(task);
}
