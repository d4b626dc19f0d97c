/**
 * Connections for an open-loop rate: enough for every request in flight at 50 ms of latency
 * (far above what any target here shows unloaded), so the client pool itself adds no queuing.
 */
export function connectionsForRate(rate: number): number {
  return Math.min(256, Math.max(8, Math.ceil(rate * 0.05)));
}
