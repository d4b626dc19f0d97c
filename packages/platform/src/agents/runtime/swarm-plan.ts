import type { AgentSpecification, PlannedSubtask, RunSpecification, SwarmPlan } from '../swarm-types.ts';
import { findDependencyCycle } from './dependency-cycle.ts';

/**
 * The plan every run staffed with roles starts from: one subtask per role, in the declared order
 * and with the declared dependencies. Given to the planner as the schema's example, so a model
 * that has nothing to add can return it unchanged. Empty for a run given only a task: that one
 * is the planner's to decompose.
 */
export function defaultPlan(task: string, agents: readonly AgentSpecification[]): SwarmPlan {
  const idOf = (role: string) => subtaskIdFor(role);
  return {
    subtasks: agents.map((agent) => ({
      id: idOf(agent.role),
      role: agent.role,
      instructions: agent.instructions.length > 0 ? agent.instructions : task,
      depends_on: agent.dependsOn.map(idOf),
    })),
  };
}

/** `Threat modeller` → `threat-modeller`: ids that are readable in step keys and URLs. */
export function subtaskIdFor(role: string): string {
  const slug = role
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug.length > 0 ? slug.slice(0, 48) : 'agent';
}

/**
 * The JSON schema of the planner's structured output for one run. The default plan is its
 * example only when it is itself a valid plan: an example that breaks the schema (no subtasks
 * for a run without roles) would be copied by a model with nothing to add, and then refused.
 */
export function planJsonSchema(task: string, specification: RunSpecification): Record<string, unknown> {
  const roles = specification.agents.map((agent) => agent.role);
  const example = defaultPlan(task, specification.agents);
  return {
    type: 'object',
    additionalProperties: false,
    required: ['subtasks'],
    properties: {
      subtasks: {
        type: 'array',
        minItems: 1,
        maxItems: specification.maxAgents,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'role', 'instructions', 'depends_on'],
          properties: {
            id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
            role: roles.length > 0 ? { type: 'string', enum: roles } : { type: 'string', minLength: 1 },
            instructions: { type: 'string', minLength: 1 },
            depends_on: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    ...(planProblem(example, specification) === null ? { examples: [example] } : {}),
  };
}

/** Why a plan cannot run, naming the offending subtask; null when it is valid. */
export function planProblem(value: unknown, specification: RunSpecification): string | null {
  if (value === null || typeof value !== 'object' || !Array.isArray((value as SwarmPlan).subtasks)) {
    return "The plan must be an object with a 'subtasks' array.";
  }
  const subtasks = (value as SwarmPlan).subtasks as unknown[];
  if (subtasks.length === 0) return 'The plan has no subtasks.';
  if (subtasks.length > specification.maxAgents) {
    return `The plan has ${subtasks.length} subtasks; at most ${specification.maxAgents} (max_agents) are allowed.`;
  }
  const roles = new Set(specification.agents.map((agent) => agent.role));
  const ids = new Set<string>();
  for (const [index, candidate] of subtasks.entries()) {
    const subtask = candidate as Partial<PlannedSubtask> | null;
    if (subtask === null || typeof subtask !== 'object') return `Subtask ${index} is not an object.`;
    if (typeof subtask.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(subtask.id)) {
      return `Subtask ${index} needs an id of lowercase letters, digits and dashes.`;
    }
    if (ids.has(subtask.id)) return `The subtask id '${subtask.id}' is used twice.`;
    ids.add(subtask.id);
    if (typeof subtask.role !== 'string' || subtask.role.length === 0) {
      return `Subtask '${subtask.id}' needs a role.`;
    }
    if (roles.size > 0 && !roles.has(subtask.role)) {
      return `Subtask '${subtask.id}' has the role '${subtask.role}', which is not one of: ${[...roles].join(', ')}.`;
    }
    if (typeof subtask.instructions !== 'string' || subtask.instructions.trim().length === 0) {
      return `Subtask '${subtask.id}' needs instructions.`;
    }
    if (!Array.isArray(subtask.depends_on) || subtask.depends_on.some((item) => typeof item !== 'string')) {
      return `Subtask '${subtask.id}' needs 'depends_on' as an array of subtask ids.`;
    }
  }
  for (const subtask of subtasks as PlannedSubtask[]) {
    for (const dependency of subtask.depends_on) {
      if (!ids.has(dependency))
        return `Subtask '${subtask.id}' depends on '${dependency}', which is not in the plan.`;
      if (dependency === subtask.id) return `Subtask '${subtask.id}' depends on itself.`;
    }
  }
  const cycle = findDependencyCycle(
    (subtasks as PlannedSubtask[]).map((subtask) => ({ id: subtask.id, dependsOn: subtask.depends_on })),
  );
  return cycle ? `The dependencies form a cycle: ${cycle.join(' → ')}.` : null;
}

/**
 * The plan with the dependencies its roles declare: a subtask of a role that declares
 * `depends_on` waits for every subtask of those roles, whatever the planner wrote, so a
 * template's report writer never starts before the reviewers whose findings it reports.
 */
export function withDeclaredDependencies(plan: SwarmPlan, agents: readonly AgentSpecification[]): SwarmPlan {
  const declared = new Map(agents.map((agent) => [agent.role, agent.dependsOn]));
  return {
    subtasks: plan.subtasks.map((subtask) => {
      const roles = declared.get(subtask.role) ?? [];
      const missing = plan.subtasks
        .filter((other) => other.id !== subtask.id && roles.includes(other.role))
        .map((other) => other.id)
        .filter((id) => !subtask.depends_on.includes(id));
      return missing.length === 0 ? subtask : { ...subtask, depends_on: [...subtask.depends_on, ...missing] };
    }),
  };
}

/** A planner's answer as a runnable plan with the declared dependencies, or why it cannot run. */
export function checkPlan(
  value: unknown,
  specification: RunSpecification,
): { plan: SwarmPlan; problem: null } | { plan: null; problem: string } {
  const problem = planProblem(value, specification);
  if (problem !== null) return { plan: null, problem };
  const plan = withDeclaredDependencies(value as SwarmPlan, specification.agents);
  const ordered = planProblem(plan, specification);
  return ordered === null
    ? { plan, problem: null }
    : { plan: null, problem: `Counting the dependencies the roles declare: ${ordered}` };
}
