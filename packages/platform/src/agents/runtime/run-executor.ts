import type { Database } from '../../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../../storage/pubsub/index.ts';
import { RunEventWriter } from '../store/swarm-event-log.ts';
import { abortReasonOf, BudgetExhausted, RunAborted, StepFailed } from '../swarm-errors.ts';
import type { SwarmPlan } from '../swarm-types.ts';
import type { ToolResolver } from '../tool-contract.ts';
import { finishRun, type RunEnding } from './finish-run.ts';
import type { OrganizationSlots } from './organization-slots.ts';
import { makePlan } from './planner.ts';
import { RunContext, type RunContextDependencies } from './run-context.ts';
import { runDag, type SubtaskOutcome } from './run-dag.ts';
import { synthesize } from './synthesis.ts';

export interface ExecutorDependencies extends RunContextDependencies {
  database: Database;
  eventBus: EventBus;
  tools: ToolResolver;
  slots: OrganizationSlots;
  leaseMs: number;
  /** Puts a run back on the queue (after an approval decided while it was still running). */
  requeue(runId: string): Promise<void>;
  onError(error: unknown, message: string): void;
}

/** The control channel a cancel is announced on, so the worker executing the run stops at once. */
export function runControlChannel(runId: string): string {
  return `swarm-control:${runId}`;
}

type Orchestration = RunEnding | { status: 'awaiting_approval' };

/**
 * Executes (or resumes) one run under a lease: replays every recorded step, executes the rest,
 * and ends the run — or leaves it awaiting approval, or gives it back when this worker stops.
 */
export async function executeRun(
  dependencies: ExecutorDependencies,
  runId: string,
  owner: string,
  shutdown: AbortSignal,
): Promise<void> {
  const { clock, runs, leaseMs } = dependencies;
  const leaseUntil = () => new Date(clock.now() + leaseMs);
  const run = await runs.claim(runId, owner, new Date(clock.now()), leaseUntil(), false);
  if (run === null) return;
  await runs.absorbReservations(runId);

  const controller = new AbortController();
  const abort = (reason: RunAborted['reason']) => {
    if (!controller.signal.aborted) controller.abort(new RunAborted(reason));
  };
  const onShutdown = () => abort('shutdown');
  shutdown.addEventListener('abort', onShutdown, { once: true });
  if (shutdown.aborted) abort('shutdown');
  const heartbeat = setInterval(
    () => {
      runs.renew(runId, owner, new Date(clock.now()), leaseUntil()).then(
        (status) => {
          if (status === null) abort('lease-lost');
          else if (status !== 'running') abort('cancelled');
        },
        (error: unknown) => dependencies.onError(error, 'swarm lease renewal failed'),
      );
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  const deadline = setTimeout(() => abort('timeout'), Math.max(0, run.deadlineAt.getTime() - clock.now()));
  let unsubscribe: Unsubscribe | null = null;
  const events = new RunEventWriter(
    dependencies.database,
    dependencies.eventBus,
    runId,
    run.organizationId,
    (error) => dependencies.onError(error, 'swarm event notification failed'),
  );
  try {
    unsubscribe = await dependencies.eventBus.subscribe(runControlChannel(runId), (message) => {
      if (message === 'cancel') abort('cancelled');
    });
    const steps = await dependencies.steps.list(runId);
    const context = new RunContext(run, owner, controller.signal, events, steps, dependencies);
    let ending: Orchestration;
    try {
      ending = await orchestrate(context, dependencies);
    } catch (error) {
      const reason = error instanceof RunAborted ? error.reason : abortReasonOf(controller.signal);
      if (reason === null) throw error;
      abort(reason);
      if (reason !== 'timeout') return;
      ending = {
        status: 'timed_out',
        error: {
          code: 'RUN_TIMED_OUT',
          message: `The run did not finish within timeout_s (${run.deadlineAt.toISOString()}).`,
        },
      };
    }
    await events.drain();
    if (ending.status === 'awaiting_approval') {
      await pauseForApproval(dependencies, runId);
      return;
    }
    await finishRun(dependencies.database, runs, events, run, ending, new Date(clock.now()));
  } catch (error) {
    dependencies.onError(error, 'swarm run failed');
    await finishRun(
      dependencies.database,
      runs,
      events,
      run,
      {
        status: 'failed',
        error: { code: 'RUN_FAILED', message: error instanceof Error ? error.message : String(error) },
      },
      new Date(clock.now()),
    ).catch((finishError: unknown) =>
      dependencies.onError(finishError, 'could not record a failed swarm run'),
    );
  } finally {
    clearInterval(heartbeat);
    clearTimeout(deadline);
    shutdown.removeEventListener('abort', onShutdown);
    await unsubscribe?.().catch(() => {});
    await events
      .drain()
      .catch((error: unknown) => dependencies.onError(error, 'swarm events were not stored'));
    await runs.release(runId, owner).catch(() => {});
  }
}

async function pauseForApproval(dependencies: ExecutorDependencies, runId: string): Promise<void> {
  const { runs, clock } = dependencies;
  await runs.transition(runId, ['running'], 'awaiting_approval', new Date(clock.now()));
  // why: a decision made while this worker was still running found the run busy; resume for it now.
  const decided = await dependencies.database.query(
    `SELECT 1 FROM swarm_steps WHERE run_id = $1 AND status IN ('approved', 'rejected') LIMIT 1`,
    [runId],
  );
  if (
    decided.rowCount > 0 &&
    (await runs.transition(runId, ['awaiting_approval'], 'queued', new Date(clock.now())))
  ) {
    await dependencies.requeue(runId);
  }
}

async function orchestrate(context: RunContext, dependencies: ExecutorDependencies): Promise<Orchestration> {
  const { run } = context;
  context.emit({ key: 'run-start', type: 'run-start', data: { run_id: run.id, task: run.task } });
  let plan: SwarmPlan | null = run.plan;
  if (plan === null) {
    try {
      const planned = await makePlan(context);
      if (!planned.ok) {
        return {
          status: 'failed',
          error: {
            code: 'PLAN_INVALID',
            message: `The planner's plan is invalid after one repair: ${planned.problem}`,
          },
        };
      }
      plan = planned.plan;
    } catch (error) {
      if (error instanceof BudgetExhausted) return { status: 'budget_exhausted', result: null };
      if (error instanceof StepFailed)
        return { status: 'failed', error: { code: 'PLAN_FAILED', message: error.message } };
      throw error;
    }
    await dependencies.runs.savePlan(run.id, plan, new Date(context.clock.now()));
  }
  context.emit({ key: 'plan-ready', type: 'plan-ready', data: { plan } });
  const { outcomes, budgetStopped } = await runDag(context, plan, dependencies);
  const completed = plan.subtasks.flatMap((subtask) => {
    const outcome = outcomes.get(subtask.id);
    return outcome?.status === 'completed'
      ? [{ id: subtask.id, role: subtask.role, output: outcome.output }]
      : [];
  });
  const waiting = plan.subtasks.some((subtask) => {
    const status = outcomes.get(subtask.id)?.status;
    return status === undefined || status === 'awaiting_approval';
  });
  if (!budgetStopped && waiting) return { status: 'awaiting_approval' };
  if (completed.length === 0) {
    if (budgetStopped) return { status: 'budget_exhausted', result: null };
    return { status: 'failed', error: { code: 'AGENTS_FAILED', message: describeFailures(outcomes) } };
  }
  const partial = completed.length < plan.subtasks.length;
  try {
    const result = await synthesize(context, completed, partial);
    return budgetStopped ? { status: 'budget_exhausted', result } : { status: 'completed', result };
  } catch (error) {
    const joined = completed.map((item) => `## ${item.id} (${item.role})\n${item.output}`).join('\n\n');
    if (error instanceof BudgetExhausted) return { status: 'budget_exhausted', result: joined };
    if (error instanceof StepFailed) {
      return {
        status: 'failed',
        result: joined,
        error: { code: 'SYNTHESIS_FAILED', message: error.message },
      };
    }
    throw error;
  }
}

function describeFailures(outcomes: ReadonlyMap<string, SubtaskOutcome>): string {
  const failures = [...outcomes.entries()].flatMap(([id, outcome]) =>
    'error' in outcome ? [`${id}: ${outcome.error}`] : [],
  );
  return `No agent completed its subtask. ${failures.slice(0, 5).join('; ')}`.trim();
}
