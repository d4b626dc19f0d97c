import { randomUUID } from 'node:crypto';
import type { BreakerEntry } from './breaker-entry.ts';
import type { BreakerStore } from './breaker-store.ts';
import type { BreakerPermit, CircuitBreakerSettings } from './resilience-types.ts';

/** A half-open probe's claim: which open period it tests and which slot it holds. */
export interface ProbeTicket {
  generation: number;
  slot: number | null;
  token: string;
}

export interface ProbeDeskOptions {
  store: BreakerStore;
  now: () => number;
  immediate: boolean;
  syncIntervalMs: number;
  probeLeaseMs: number;
  report: (deployment: string, operation: string) => (error: unknown) => void;
}

/**
 * Half-open probes: claims a probe slot in the store for a permit, and hands the claim back once.
 * Without the store, each process holds itself to the probe limit on its own.
 */
export function createProbeDesk(options: ProbeDeskOptions) {
  const { store, immediate, syncIntervalMs, probeLeaseMs, report } = options;
  const tickets = new WeakMap<BreakerPermit, ProbeTicket>();
  const instanceId = randomUUID();
  let probeCount = 0;

  async function takeProbe(entry: BreakerEntry, settings: CircuitBreakerSettings): Promise<BreakerPermit> {
    const generation = entry.openUntil!;
    const denied: BreakerPermit = { allowed: false, state: 'half-open', probe: false };
    if (!immediate && options.now() < entry.probeSlotsTakenUntil) return denied;
    probeCount += 1;
    const token = `${instanceId}:${probeCount}`;
    let slot: number | null;
    try {
      slot = await store.takeProbeSlot(
        entry.deployment,
        generation,
        settings.halfOpenProbes,
        token,
        probeLeaseMs,
      );
      if (slot === null) {
        if (!immediate) entry.probeSlotsTakenUntil = options.now() + syncIntervalMs;
        return denied;
      }
    } catch (error) {
      report(entry.deployment, 'probe')(error);
      // Without the store, hold this process to the probe limit on its own.
      if (entry.probesInFlight >= settings.halfOpenProbes) return denied;
      slot = null;
    }
    entry.probesInFlight += 1;
    const permit: BreakerPermit = { allowed: true, state: 'half-open', probe: true };
    tickets.set(permit, { generation, slot, token });
    return permit;
  }

  /** The probe ticket a permit carries, if any; it is handed out once. */
  function takeTicket(entry: BreakerEntry, permit: BreakerPermit): ProbeTicket | undefined {
    const ticket = tickets.get(permit);
    if (ticket === undefined) return undefined;
    tickets.delete(permit);
    entry.probesInFlight -= 1;
    entry.probeSlotsTakenUntil = Number.NEGATIVE_INFINITY;
    return ticket;
  }

  return { takeProbe, takeTicket };
}
