import { z } from 'zod';
import type { SwarmRunRecord, SwarmStepRecord } from '../../agents/index.ts';
import { decimalToPicoUsd, picoUsdToDecimal } from '../../metering/index.ts';
import { timestampSchema } from '../openapi/index.ts';

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

export const runStatusSchema = z.enum([
  'queued',
  'running',
  'awaiting_approval',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'budget_exhausted',
]);

const decimalUsd = z.string().describe('US dollars, exact decimal text.');
const usageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  cost_usd: decimalUsd,
});

export const swarmRunSummarySchema = z
  .object({
    id: z.string(),
    object: z.literal('swarm.run'),
    status: runStatusSchema,
    task: z.string(),
    template: z.string().nullable(),
    knowledge_bases: z.array(z.string()).describe('The knowledge bases `knowledge_search` is bound to.'),
    budget_usd: z.string().nullable().describe('The budget (exact decimal text); null when unlimited.'),
    usage: usageSchema.describe('Tokens and cost of every model call of the run so far.'),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe('Why the run failed; null otherwise.'),
    created_at: timestampSchema,
    deadline_at: timestampSchema.describe('When the run times out (`timed_out`).'),
    finished_at: timestampSchema.nullable(),
  })
  .meta({ id: 'SwarmRunSummary', description: 'A swarm run without its plan and steps.' });

export const swarmRunSummaryExample = {
  id: 'run_6Tb7cW1zRf4Kw2Qz',
  object: 'swarm.run',
  status: 'queued',
  task: 'Review the pull request for security issues.',
  template: 'security-audit',
  knowledge_bases: [],
  budget_usd: '0.500000000000',
  usage: { prompt_tokens: 0, completion_tokens: 0, cost_usd: '0' },
  error: null,
  created_at: '2026-12-07T16:00:00.000Z',
  deadline_at: '2026-12-07T16:30:00.000Z',
  finished_at: null,
} satisfies z.output<typeof swarmRunSummarySchema>;

const stepSchema = z
  .object({
    id: z.string().describe('The step key, stable across retries.'),
    kind: z.enum(['plan', 'model-call', 'tool-call', 'agent-result', 'synthesis']),
    status: z.enum(['running', 'completed', 'failed', 'awaiting_approval', 'approved', 'rejected']),
    attempts: z.number().int(),
    model: z.string().nullable(),
    input: z.unknown().describe('What the step was given (JSON).'),
    output: z.unknown().describe('What the step produced (JSON); null until it completed.'),
    error: z.string().nullable(),
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    cost_usd: decimalUsd,
    started_at: timestampSchema,
    completed_at: timestampSchema.nullable(),
  })
  .meta({ id: 'SwarmStep', description: 'One durable step of a run: a model call, a tool call, the plan…' });

const planSchema = z
  .object({
    subtasks: z.array(
      z.object({
        id: z.string(),
        role: z.string(),
        instructions: z.string(),
        depends_on: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'SwarmPlan', description: "The planner's subtasks, one per agent." });

const agentSchema = z.object({
  id: z.string().describe('The subtask id.'),
  role: z.string(),
  instructions: z.string(),
  depends_on: z.array(z.string()),
  status: z
    .string()
    .describe(
      "The agent's outcome (`completed`, `failed`, …), else `awaiting_approval`, `running` or `pending`.",
    ),
  output: z.string().nullable(),
  error: z.string().nullable(),
  usage: usageSchema,
  steps: z.array(stepSchema),
});

export const swarmRunSchema = swarmRunSummarySchema
  .extend({
    plan: planSchema.nullable().describe('Null until the planner ran.'),
    agents: z.array(agentSchema).describe('Each planned agent with its steps, tokens and cost.'),
    run_steps: z.array(stepSchema).describe('The steps of the run itself (the plan, the synthesis).'),
    pending_approvals: z
      .array(z.object({ step_id: z.string(), agent_id: z.string().nullable(), input: z.unknown() }))
      .describe('Tool calls waiting for POST /v1/swarms/{id}/approvals.'),
    result: z.string().nullable().describe('The synthesised answer, once completed.'),
  })
  .meta({ id: 'SwarmRun', description: 'A swarm run with its plan, agents, steps, approvals and result.' });

export const swarmRunExample = {
  ...swarmRunSummaryExample,
  status: 'completed',
  usage: { prompt_tokens: 1200, completion_tokens: 300, cost_usd: '0.0021' },
  finished_at: '2026-12-07T16:01:10.000Z',
  plan: {
    subtasks: [{ id: 'a1', role: 'reviewer', instructions: 'Look for injection bugs.', depends_on: [] }],
  },
  agents: [
    {
      id: 'a1',
      role: 'reviewer',
      instructions: 'Look for injection bugs.',
      depends_on: [],
      status: 'completed',
      output: 'No injection bugs found.',
      error: null,
      usage: { prompt_tokens: 800, completion_tokens: 200, cost_usd: '0.0014' },
      steps: [
        {
          id: 'a1/model/0',
          kind: 'model-call',
          status: 'completed',
          attempts: 1,
          model: 'sim/fast',
          input: { messages: 2 },
          output: { content: 'No injection bugs found.' },
          error: null,
          prompt_tokens: 800,
          completion_tokens: 200,
          cost_usd: '0.0014',
          started_at: '2026-12-07T16:00:05.000Z',
          completed_at: '2026-12-07T16:00:20.000Z',
        },
      ],
    },
  ],
  run_steps: [],
  pending_approvals: [],
  result: 'No security issues found.',
} satisfies z.output<typeof swarmRunSchema>;

export const swarmRunListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(swarmRunSummarySchema),
    has_more: z.boolean(),
    next_cursor: z
      .string()
      .nullable()
      .describe('Pass it as `after` for the next page; null on the last page.'),
  })
  .meta({ id: 'SwarmRunList' });

/** A run in list responses: no steps. */
export function serializeRunSummary(run: SwarmRunRecord): z.output<typeof swarmRunSummarySchema> {
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
    created_at: run.createdAt.toISOString(),
    deadline_at: run.deadlineAt.toISOString(),
    finished_at: iso(run.finishedAt),
  };
}

function serializeStep(step: SwarmStepRecord): z.output<typeof stepSchema> {
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
    started_at: step.startedAt.toISOString(),
    completed_at: iso(step.completedAt),
  };
}

/** A run with its plan, each agent's steps, tokens and cost, pending approvals and the result. */
export function serializeRun(
  run: SwarmRunRecord,
  steps: readonly SwarmStepRecord[],
): z.output<typeof swarmRunSchema> {
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
