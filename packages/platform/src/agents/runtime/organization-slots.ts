/**
 * Caps how many agents of one organisation run at once in this process, across its runs, so one
 * tenant's swarm cannot take every worker slot. Waiters are served first come, first served.
 */
export class OrganizationSlots {
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(private readonly limit: number) {}

  /** Resolves with a release function once a slot is free; rejects when `signal` aborts first. */
  acquire(organizationId: string, signal: AbortSignal): Promise<() => void> {
    const release = () => this.#release(organizationId);
    if ((this.#running.get(organizationId) ?? 0) < this.limit) {
      this.#running.set(organizationId, (this.#running.get(organizationId) ?? 0) + 1);
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(organizationId) ?? [];
      this.#waiting.set(organizationId, queue);
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(once(release));
      };
      const onAbort = () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(signal.reason);
      };
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  #release(organizationId: string): void {
    const next = this.#waiting.get(organizationId)?.shift();
    if (next) {
      next();
      return;
    }
    const running = (this.#running.get(organizationId) ?? 1) - 1;
    if (running <= 0) this.#running.delete(organizationId);
    else this.#running.set(organizationId, running);
  }
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
