import { RunAborted } from '../swarm-errors.ts';
import {
  type AgentSpecification,
  type PlannedSubtask,
  type SwarmPlan,
  toolOptionsOf,
} from '../swarm-types.ts';
import type { ToolResolver } from '../tool-contract.ts';
import { type AgentOutcome, runAgent } from './agent-loop.ts';
import type { OrganizationSlots } from './organization-slots.ts';
import type { RunContext } from './run-context.ts';

export type SubtaskOutcome = AgentOutcome | { status: 'skipped'; error: string };

export interface DagOutcome {
  outcomes: Map<string, SubtaskOutcome>;
  /** True once a model call could not be afforded: no new agent started after it. */
  budgetStopped: boolean;
}

/**
 * Runs the plan's subtasks as a DAG: each starts once all it depends on completed, up to
 * `max_parallel` at once and within the organisation's slots. A subtask whose dependency
 * failed is skipped; one waiting behind an approval stays pending; after the budget runs out
 * nothing new starts.
 */
export async function runDag(
  context: RunContext,
  plan: SwarmPlan,
  dependencies: { tools: ToolResolver; slots: OrganizationSlots },
): Promise<DagOutcome> {
  const { specification, organizationId } = context.run;
  const outcomes = new Map<string, SubtaskOutcome>();
  const running = new Map<string, Promise<void>>();
  let budgetStopped = false;

  const agentFor = (role: string): AgentSpecification =>
    specification.agents.find((agent) => agent.role === role) ?? {
      role,
      instructions: '',
      tools: [],
      dependsOn: [],
    };

  const skipBlocked = () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const subtask of plan.subtasks) {
        if (outcomes.has(subtask.id) || running.has(subtask.id)) continue;
        const failed = subtask.depends_on.find((id) => {
          const status = outcomes.get(id)?.status;
          return status === 'failed' || status === 'skipped' || status === 'budget_exhausted';
        });
        if (failed === undefined) continue;
        const error = `It depends on '${failed}', which did not complete.`;
        outcomes.set(subtask.id, { status: 'skipped', error });
        context.emit({
          key: `agent-end:${subtask.id}`,
          type: 'agent-end',
          data: { agent_id: subtask.id, status: 'skipped', error },
        });
        changed = true;
      }
    }
  };

  const isReady = (subtask: PlannedSubtask) =>
    !outcomes.has(subtask.id) &&
    !running.has(subtask.id) &&
    subtask.depends_on.every((id) => outcomes.get(id)?.status === 'completed');

  const start = async (subtask: PlannedSubtask) => {
    const release = await dependencies.slots.acquire(organizationId, context.signal);
    const agent = agentFor(subtask.role);
    const task = (async () => {
      let outcome: SubtaskOutcome;
      try {
        const tools =
          agent.tools.length > 0
            ? await dependencies.tools.resolve(organizationId, agent.tools, toolOptionsOf(specification))
            : [];
        const dependencyOutputs = new Map<string, string>();
        for (const id of subtask.depends_on) {
          const done = outcomes.get(id);
          if (done?.status === 'completed') dependencyOutputs.set(id, done.output);
        }
        outcome = await runAgent(context, {
          subtask,
          agent,
          model: agent.model ?? specification.model,
          tools,
          dependencyOutputs,
        });
      } catch (error) {
        if (error instanceof RunAborted || context.signal.aborted) throw error;
        outcome = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
      } finally {
        release();
      }
      outcomes.set(subtask.id, outcome);
      if (outcome.status === 'budget_exhausted') budgetStopped = true;
    })();
    const tracked = task.finally(() => running.delete(subtask.id));
    // why: a failure is handled where the loop races the running agents; this only marks it seen.
    tracked.catch(() => {});
    running.set(subtask.id, tracked);
  };

  try {
    for (;;) {
      skipBlocked();
      if (!budgetStopped) {
        for (const subtask of plan.subtasks) {
          if (running.size >= specification.maxParallel) break;
          if (isReady(subtask)) await start(subtask);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } catch (error) {
    // why: no agent may keep working for a run this worker is giving up.
    await Promise.allSettled(running.values());
    throw error;
  }
  return { outcomes, budgetStopped };
}
