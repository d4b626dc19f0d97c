import type { SwarmRunRecord, SwarmStepRecord } from '../../agents/index.ts';
import { decimalToPicoUsd, picoUsdToDecimal } from '../../metering/index.ts';

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** A run in list responses: no steps. */
export function serializeRunSummary(run: SwarmRunRecord) {
  return {
    id: run.id,
    object: 'swarm.run',
    status: run.status,
    task: run.task,
    template: run.template,
    knowledge_bases: run.specification.knowledgeBases ?? [],
    budget_usd: run.budgetUsd,
    usage: {
      prompt_tokens: run.promptTokens,
      completion_tokens: run.completionTokens,
      cost_usd: run.spentUsd,
    },
    error: run.error,
    created_at: iso(run.createdAt),
    deadline_at: iso(run.deadlineAt),
    finished_at: iso(run.finishedAt),
  };
}

function serializeStep(step: SwarmStepRecord) {
  return {
    id: step.key,
    kind: step.kind,
    status: step.status,
    attempts: step.attempts,
    model: step.model,
    input: step.input,
    output: step.output,
    error: step.error,
    prompt_tokens: step.promptTokens,
    completion_tokens: step.completionTokens,
    cost_usd: step.costUsd,
    started_at: iso(step.startedAt),
    completed_at: iso(step.completedAt),
  };
}

/** A run with its plan, each agent's steps, tokens and cost, pending approvals and the result. */
export function serializeRun(run: SwarmRunRecord, steps: readonly SwarmStepRecord[]) {
  const agents = (run.plan?.subtasks ?? []).map((subtask) => {
    const own = steps.filter((step) => step.agentId === subtask.id);
    const result = own.find((step) => step.kind === 'agent-result' && step.status === 'completed');
    const outcome = result?.output as { status?: string; output?: string; error?: string } | undefined;
    const status =
      outcome?.status ??
      (own.some((step) => step.status === 'awaiting_approval')
        ? 'awaiting_approval'
        : own.length > 0
          ? 'running'
          : 'pending');
    const calls = own.filter((step) => step.kind === 'model-call');
    return {
      id: subtask.id,
      role: subtask.role,
      instructions: subtask.instructions,
      depends_on: subtask.depends_on,
      status,
      output: outcome?.output ?? null,
      error: outcome?.error ?? null,
      usage: {
        prompt_tokens: calls.reduce((sum, step) => sum + step.promptTokens, 0),
        completion_tokens: calls.reduce((sum, step) => sum + step.completionTokens, 0),
        cost_usd: sumDecimals(calls.map((step) => step.costUsd)),
      },
      steps: own.filter((step) => step.kind !== 'agent-result').map(serializeStep),
    };
  });
  return {
    ...serializeRunSummary(run),
    plan: run.plan,
    agents,
    run_steps: steps.filter((step) => step.agentId === null).map(serializeStep),
    pending_approvals: steps
      .filter((step) => step.status === 'awaiting_approval')
      .map((step) => ({ step_id: step.key, agent_id: step.agentId, input: step.input })),
    result: run.result,
  };
}

function sumDecimals(values: readonly string[]): string {
  return picoUsdToDecimal(values.reduce((total, value) => total + decimalToPicoUsd(value), 0n));
}
