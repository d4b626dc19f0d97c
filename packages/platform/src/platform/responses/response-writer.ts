import type { Database } from '../../storage/db/index.ts';
import { insertResponses, type StoredResponse } from './response-repository.ts';

/** How many stored responses one statement writes at most. */
const maximumBatch = 100;

interface Pending {
  stored: StoredResponse;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Writes stored responses; each `write` resolves once its row is committed. */
export interface ResponseWriter {
  write(stored: StoredResponse): Promise<void>;
}

/**
 * Group commit for stored responses: a write goes out at once when none is in flight; writes that
 * arrive meanwhile wait for it and go out together, one INSERT per organisation (its own scope, so
 * row-level security still checks every row). Each caller awaits its own row, so a response is
 * readable the moment its request is answered (read-your-writes across replicas holds), and under
 * load many requests share one statement instead of paying for one each.
 */
export function createResponseWriter(database: Database): ResponseWriter {
  let queue: Pending[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maximumBatch);
      queue = queue.slice(batch.length);
      const byOrganization = new Map<string, Pending[]>();
      for (const pending of batch) {
        const group = byOrganization.get(pending.stored.organizationId) ?? [];
        group.push(pending);
        byOrganization.set(pending.stored.organizationId, group);
      }
      await Promise.all(
        [...byOrganization].map(async ([organizationId, group]) => {
          const scoped = database.forOrganization(organizationId);
          try {
            await insertResponses(
              scoped,
              group.map((pending) => pending.stored),
            );
            for (const pending of group) pending.resolve();
          } catch (error) {
            if (group.length === 1) {
              group[0]?.reject(error);
              return;
            }
            // why: one bad row must not fail its neighbours' requests; alone, each fails or not by itself.
            await Promise.all(
              group.map((pending) =>
                insertResponses(scoped, [pending.stored]).then(pending.resolve, pending.reject),
              ),
            );
          }
        }),
      );
    }
    flushing = false;
  }

  return {
    write(stored) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ stored, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
