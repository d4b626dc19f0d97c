import type { Database } from '../../storage/db/index.ts';
import { appendEvents, type RunEventWriter } from '../store/swarm-event-log.ts';
import type { SwarmRunStore } from '../store/swarm-run-store.ts';
import type { SwarmRunRecord, SwarmRunStatus } from '../swarm-types.ts';

export interface RunEnding {
  status: Exclude<SwarmRunStatus, 'queued' | 'running' | 'awaiting_approval'>;
  result?: string | null;
  error?: { code: string; message: string };
}

/**
 * Ends a run once: the status update is conditional, and only its winner writes the terminal
 * event (`run-end`, or `run-error` for failures and timeouts), so every stream ends exactly once.
 */
export async function finishRun(
  database: Database,
  runs: SwarmRunStore,
  writer: RunEventWriter | null,
  run: Pick<SwarmRunRecord, 'id' | 'organizationId'>,
  ending: RunEnding,
  now: Date,
): Promise<boolean> {
  const won = await runs.finish(run.id, {
    status: ending.status,
    result: ending.result ?? null,
    error: ending.error ?? null,
    now,
    organizationId: run.organizationId,
  });
  if (!won) return false;
  const failed = ending.status === 'failed' || ending.status === 'timed_out';
  const event = {
    key: 'run-finish',
    type: failed ? ('run-error' as const) : ('run-end' as const),
    data: {
      status: ending.status,
      ...(ending.result === undefined ? {} : { result: ending.result }),
      ...(ending.error ? { error: ending.error } : {}),
    },
  };
  if (writer) await writer.emit(event);
  else await appendEvents(database, run.id, run.organizationId, [event]);
  return true;
}
