import { z } from 'zod';

const toolName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, 'must be a tool name as GET /v1/tools lists it')
  .max(64);

/** One agent of a template: a role with instructions, its tools, and optionally a model or policy. */
export const templateAgentSchema = z.strictObject({
  role: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9 _.-]*$/, 'must use letters, digits, spaces, dots, dashes and underscores'),
  instructions: z.string().trim().min(1).max(20_000),
  tools: z.array(toolName).max(32).default([]),
  model: z.string().trim().min(1).max(256).optional(),
  routing_policy: z.string().trim().min(1).max(64).optional(),
});

/** Template names: lowercase words joined by dashes, like the built-ins (`security-audit`). */
export const templateNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes, at most 63 characters');

/** A swarm template as the API accepts it (and as SwarmTemplate describes it). */
export const swarmTemplateSchema = z.strictObject({
  name: templateNameSchema,
  description: z.string().trim().min(1).max(2000),
  agents: z
    .array(templateAgentSchema)
    .min(1)
    .max(32)
    .superRefine((agents, refinement) => {
      const seen = new Set<string>();
      agents.forEach((agent, index) => {
        if (seen.has(agent.role)) {
          refinement.addIssue({
            code: 'custom',
            path: [index, 'role'],
            message: `duplicates the role '${agent.role}'`,
          });
        }
        seen.add(agent.role);
      });
    }),
  planner_instructions: z.string().trim().min(1).max(20_000).optional(),
  synthesis_instructions: z.string().trim().min(1).max(20_000).optional(),
});

/** The body of PUT /v1/swarm-templates/{name}: the template without its name (the path names it). */
export const swarmTemplateBodySchema = swarmTemplateSchema.omit({ name: true });
