/** Thrown inside a run when the next model call would exceed `budget_usd`; the run stops new work. */
export class BudgetExhausted extends Error {
  constructor() {
    super('The run budget cannot cover the next model call.');
    this.name = 'BudgetExhausted';
  }
}

/** Thrown when a step ended in a recorded failure (on first execution or when replayed). */
export class StepFailed extends Error {
  constructor(
    readonly stepKey: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

/** Why a run's execution was aborted from outside its own logic. */
export type AbortReason = 'cancelled' | 'timeout' | 'lease-lost' | 'shutdown';

export class RunAborted extends Error {
  constructor(readonly reason: AbortReason) {
    super(`The run's execution was aborted (${reason}).`);
    this.name = 'RunAborted';
  }
}

/** The reason a signal was aborted with, when it is one of ours. */
export function abortReasonOf(signal: AbortSignal): AbortReason | null {
  if (!signal.aborted) return null;
  const reason: unknown = signal.reason;
  return reason instanceof RunAborted ? reason.reason : 'shutdown';
}
