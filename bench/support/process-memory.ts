import { readFileSync, writeFileSync } from 'node:fs';

/** Resident memory of a process from /proc/<pid>/status, in bytes: now (VmRSS) and peak (VmHWM). */
export function readResidentMemory(pid: number): { residentBytes: number; peakBytes: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kibibytes = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { residentBytes: kibibytes('VmRSS') * 1024, peakBytes: kibibytes('VmHWM') * 1024 };
}

/** Resets the kernel's peak-RSS mark (VmHWM) so the next reading covers only what follows. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Peak resident memory of a process over a stretch of time: the kernel's own high-water mark
 * (reset at the start) where the kernel allows it, and sampling every `intervalMs` besides.
 */
export class PeakMemorySampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  readonly #kernelPeak: boolean;
  #peakBytes = 0;

  constructor(pid: number, intervalMs = 100) {
    this.#pid = pid;
    this.#kernelPeak = resetPeak(pid);
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    const memory = readResidentMemory(this.#pid);
    if (memory) this.#peakBytes = Math.max(this.#peakBytes, memory.residentBytes);
  }

  /** The peak so far, in bytes. */
  get peakBytes(): number {
    return this.#peakBytes;
  }

  /** Stops sampling and returns the peak in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    if (this.#kernelPeak) {
      const memory = readResidentMemory(this.#pid);
      if (memory) this.#peakBytes = Math.max(this.#peakBytes, memory.peakBytes);
    }
    return this.#peakBytes;
  }
}
