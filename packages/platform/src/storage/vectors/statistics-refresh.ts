/**
 * Re-collects the planner's statistics of the chunk tables after enough writes. The embedded
 * store (PGlite) has no autovacuum daemon, so without this the planner keeps the row counts of
 * start-up: at 100,000 chunks it then scans every vector instead of using the HNSW index
 * (measured: 2.1 s against 13 ms per search). PostgreSQL's autovacuum does this on its own.
 */
export interface StatisticsRefresh {
  /** Counts written rows; past the threshold, refreshes in the background (one at a time). */
  wrote(rows: number): void;
  idle(): Promise<void>;
}

/** Refresh once the rows written since the last refresh reach this share of the rows then (and at least `minimumRows`). */
const growthShare = 0.2;
const minimumRows = 500;

export function createStatisticsRefresh(
  refresh: () => Promise<void>,
  onError: (error: unknown) => void = () => {},
): StatisticsRefresh {
  let rowsAtLastRefresh = 0;
  let writtenSince = 0;
  let running: Promise<void> | null = null;
  return {
    wrote(rows) {
      writtenSince += rows;
      if (running !== null || writtenSince < Math.max(minimumRows, rowsAtLastRefresh * growthShare)) return;
      rowsAtLastRefresh += writtenSince;
      writtenSince = 0;
      running = (async () => {
        // why a turn of the event loop: the transaction that wrote the rows commits first.
        await new Promise((resolve) => setTimeout(resolve, 0));
        await refresh();
      })()
        .catch(onError)
        .finally(() => {
          running = null;
        });
    },
    async idle() {
      while (running !== null) await running;
    },
  };
}
