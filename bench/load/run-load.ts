import { fileURLToPath } from 'node:url';
import { baseEnvironment, startNode, stopProcess } from '../support/child-processes.ts';
import type { GeneratorMessage, LatencySummary, LoadResult, LoadStep } from './load-types.ts';

const generatorPath = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/** NaN (a percentile of no values) crosses IPC as null; turn it back into NaN. */
function reviveResult(result: LoadResult): LoadResult {
  const revive = (summary: LatencySummary): LatencySummary => ({
    p50: summary.p50 ?? Number.NaN,
    p90: summary.p90 ?? Number.NaN,
    p99: summary.p99 ?? Number.NaN,
    max: summary.max ?? Number.NaN,
    mean: summary.mean ?? Number.NaN,
  });
  return {
    ...result,
    latency: revive(result.latency),
    completion: revive(result.completion),
    dispatchLag: revive(result.dispatchLag),
  };
}

/** Progress of a running step: how far it is, and the streams open now. */
export type ProgressListener = (progress: {
  fraction: number;
  openStreams: number;
  completed: number;
}) => void;

/**
 * Runs one step in a fresh load-generator process and resolves with its result. The generator is
 * killed if it overruns its own bounds by more than a minute.
 */
export async function runLoad(step: LoadStep, onProgress: ProgressListener = () => {}): Promise<LoadResult> {
  const generator = startNode(
    'load generator',
    ['--import', 'tsx', generatorPath],
    { ...baseEnvironment(), BENCH_LOAD_STEP: JSON.stringify(step) },
    { ipc: true },
  );
  const plannedSeconds = step.warmUpSeconds + step.durationSeconds + step.drainSeconds + 10;
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      const watchdog = setTimeout(
        () => reject(new Error(`the load generator overran ${plannedSeconds + 60} s`)),
        (plannedSeconds + 60) * 1000,
      );
      generator.child.on('message', (message: GeneratorMessage) => {
        if (message.type === 'progress') onProgress(message);
        else if (message.type === 'result') {
          clearTimeout(watchdog);
          resolve(reviveResult(message.result));
        } else {
          clearTimeout(watchdog);
          reject(new Error(`load generator: ${message.message}`));
        }
      });
      generator.child.once('exit', (code) => {
        clearTimeout(watchdog);
        reject(new Error(`the load generator exited (${code}):\n${generator.output()}`));
      });
    });
  } finally {
    await stopProcess(generator, 1000);
  }
}
