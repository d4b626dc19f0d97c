import { z } from 'zod';
import { describeCycle, findDependencyCycle } from '../runtime/dependency-cycle.ts';

const toolName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, 'must be a tool name as GET /v1/tools lists it')
  .max(64);

const roleName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9 _.-]*$/, 'must use letters, digits, spaces, dots, dashes and underscores');

/**
 * One agent of a template: a role with instructions, its tools, optionally a model or policy,
 * and the roles whose work it builds on (`depends_on`): it starts once they finished.
 */
export const templateAgentSchema = z.strictObject({
  role: roleName,
  instructions: z.string().trim().min(1).max(20_000),
  tools: z.array(toolName).max(32).default([]),
  model: z.string().trim().min(1).max(256).optional(),
  routing_policy: z.string().trim().min(1).max(64).optional(),
  depends_on: z.array(roleName).max(32).optional(),
});

type TemplateAgent = z.output<typeof templateAgentSchema>;

/**
 * Refuses duplicate roles, dependencies on roles the template does not have, and dependency
 * cycles, each at the agent that causes it: such a template could never run.
 */
function checkAgents(agents: readonly TemplateAgent[], refinement: z.RefinementCtx): void {
  const roles = new Set<string>();
  agents.forEach((agent, index) => {
    if (roles.has(agent.role)) {
      refinement.addIssue({
        code: 'custom',
        path: [index, 'role'],
        message: `duplicates the role '${agent.role}'`,
      });
    }
    roles.add(agent.role);
  });
  for (const [index, agent] of agents.entries()) {
    const unknown = (agent.depends_on ?? []).find(
      (dependency) => !roles.has(dependency) || dependency === agent.role,
    );
    if (unknown !== undefined) {
      refinement.addIssue({
        code: 'custom',
        path: [index, 'depends_on'],
        message: `names '${unknown}', which is not another agent's role`,
      });
      return;
    }
  }
  const nodes = agents.map((agent) => ({ id: agent.role, dependsOn: agent.depends_on ?? [] }));
  const cycle = findDependencyCycle(nodes);
  if (cycle !== null) {
    const { index, path } = describeCycle(nodes, cycle);
    refinement.addIssue({
      code: 'custom',
      path: [index, 'depends_on'],
      message: `makes a dependency cycle: ${path}`,
    });
  }
}

/** Template names: lowercase words joined by dashes, like the built-ins (`security-audit`). */
export const templateNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes, at most 63 characters');

/** A swarm template as the API accepts it (and as SwarmTemplate describes it). */
export const swarmTemplateSchema = z.strictObject({
  name: templateNameSchema,
  description: z.string().trim().min(1).max(2000),
  agents: z.array(templateAgentSchema).min(1).max(32).superRefine(checkAgents),
  planner_instructions: z.string().trim().min(1).max(20_000).optional(),
  synthesis_instructions: z.string().trim().min(1).max(20_000).optional(),
  /**
   * Knowledge bases of the organisation that `knowledge_search` searches in runs of this template,
   * checked when a run starts; a run's own `knowledge_bases` replaces them.
   */
  knowledge_bases: z.array(z.string().min(1).max(128)).min(1).max(10).optional(),
});

/** The body of PUT /v1/swarm-templates/{name}: the template without its name (the path names it). */
export const swarmTemplateBodySchema = swarmTemplateSchema.omit({ name: true });
