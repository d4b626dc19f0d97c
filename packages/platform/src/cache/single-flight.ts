/**
 * Shares one piece of work among concurrent callers with the same key, within a process: the
 * first caller (the leader) does the work; callers arriving while it runs wait for its outcome.
 */
export interface SingleFlight<Value> {
  /** The outcome of work in flight for `key`, or undefined when none is. */
  joinable(key: string): Promise<Value> | undefined;
  /** Registers the leader's work; resolves followers with what it settles to. */
  lead(key: string, work: () => Promise<Value>): Promise<Value>;
  inFlight(): number;
}

export function createSingleFlight<Value>(): SingleFlight<Value> {
  const flights = new Map<string, Promise<Value>>();
  return {
    joinable: (key) => flights.get(key),
    lead(key, work) {
      const flight = work().finally(() => {
        if (flights.get(key) === flight) flights.delete(key);
      });
      flights.set(key, flight);
      return flight;
    },
    inFlight: () => flights.size,
  };
}
