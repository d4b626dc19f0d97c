import type { ChatMessage } from '../../model/index.ts';
import type { RunSpecification, SwarmPlan } from '../swarm-types.ts';
import type { RunContext } from './run-context.ts';
import { checkPlan, defaultPlan, planJsonSchema } from './swarm-plan.ts';

export type PlanOutcome = { ok: true; plan: SwarmPlan } | { ok: false; problem: string };

function plannerMessages(context: RunContext): ChatMessage[] {
  const { task, specification } = context.run;
  const roles = specification.agents
    .map(
      (agent) =>
        `- ${agent.role}: ${agent.instructions}${agent.tools.length ? ` (tools: ${agent.tools.join(', ')})` : ''}${agent.dependsOn.length ? ` (after: ${agent.dependsOn.join(', ')})` : ''}`,
    )
    .join('\n');
  return [
    {
      role: 'system',
      content: [
        'You plan the work of a team of agents. Split the task into subtasks, each for one role, with',
        `precise instructions. At most ${specification.maxAgents} subtasks. A subtask may depend on others`,
        "(list their ids in 'depends_on'); independent subtasks run in parallel, so prefer few dependencies.",
        specification.plannerInstructions ?? '',
      ]
        .join(' ')
        .trim(),
    },
    { role: 'user', content: `Task: ${task}\n\nRoles:\n${roles || '- (any role you need)'}` },
  ];
}

/** Subtasks a plan without declared roles is given room for: planners keep to a handful. */
const subtasksWithoutRoles = 6;
/** Characters of the task a planned subtask's instructions may quote. */
const quotedTaskCharacters = 200;

/**
 * Output tokens for the plan: it lists every subtask with its instructions, so it needs room
 * beyond one agent's answer — the default plan's size, or for a run given only a task, a
 * handful of subtasks that each quote it.
 */
function planRoomTokens(task: string, specification: RunSpecification): number {
  const planCharacters =
    specification.agents.length > 0
      ? JSON.stringify(defaultPlan(task, specification.agents)).length
      : Math.min(specification.maxAgents, subtasksWithoutRoles) *
        (Math.min(task.length, quotedTaskCharacters) + 200);
  return Math.max(specification.maxOutputTokens, Math.ceil(planCharacters / 3) + 256);
}

function parsePlan(content: string | null): unknown {
  try {
    return JSON.parse(content ?? '');
  } catch {
    return null;
  }
}

/**
 * The plan: one structured-output call; an invalid plan gets one repair call that is told what
 * is wrong, and a plan still invalid after it fails the run with the reason.
 */
export async function makePlan(context: RunContext): Promise<PlanOutcome> {
  const { specification, task } = context.run;
  const responseFormat = {
    type: 'json_schema' as const,
    name: 'swarm_plan',
    schema: planJsonSchema(task, specification),
    strict: true,
  };
  const messages = plannerMessages(context);
  const maxTokens = planRoomTokens(task, specification);
  const first = await context.modelStep('plan', 'plan', null, specification.model, {
    messages,
    responseFormat,
    maxTokens,
  });
  const firstPlan = checkPlan(parsePlan(first.content), specification);
  if (firstPlan.plan !== null) return { ok: true, plan: firstPlan.plan };
  const repaired = await context.modelStep('plan-repair', 'plan', null, specification.model, {
    messages: [
      ...messages,
      { role: 'assistant', content: first.content },
      { role: 'user', content: `That plan cannot run: ${firstPlan.problem} Return a corrected plan.` },
    ],
    responseFormat,
    maxTokens,
  });
  const repairedPlan = checkPlan(parsePlan(repaired.content), specification);
  return repairedPlan.plan !== null
    ? { ok: true, plan: repairedPlan.plan }
    : { ok: false, problem: repairedPlan.problem };
}
