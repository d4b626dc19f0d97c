import { z } from 'zod';
import { errors, isPlatformError } from '../../errors/index.ts';
import { describeCycle, findDependencyCycle } from '../runtime/dependency-cycle.ts';
import type { AgentSpecification, RunSpecification } from '../swarm-types.ts';
import type { TemplateResolver, Tool, ToolResolver } from '../tool-contract.ts';

/** The most knowledge bases a run may be bound to. */
export const maximumRunKnowledgeBases = 10;

/**
 * Checks the knowledge bases a run names: resolves when every id names one of the caller's
 * organisation; otherwise throws a coded error naming `<param>[i]`.
 */
export type KnowledgeBaseCheck = (ids: readonly string[], param: string) => Promise<void>;

/** Where no knowledge bases exist (a runtime built without them), every id names none. */
export const noKnowledgeBases: KnowledgeBaseCheck = async (ids, param) => {
  if (ids.length > 0) throw errors.notFound(`The knowledge base '${ids[0]}'`, `${param}[0]`);
};

const agentSchema = z.strictObject({
  role: z.string().trim().min(1).max(100),
  instructions: z.string().max(20_000).default(''),
  model: z.string().min(1).max(256).optional(),
  routing_policy: z.string().min(1).max(256).optional(),
  tools: z.array(z.string().min(1).max(128)).max(64).default([]),
  depends_on: z.array(z.string().min(1).max(100)).max(100).default([]),
});

/** The body of POST /v1/swarms. */
export const createSwarmRequestSchema = z.strictObject({
  task: z.string().trim().min(1, 'the task must not be empty').max(100_000),
  template: z.string().min(1).max(128).optional(),
  agents: z.array(agentSchema).min(1).max(1000).optional(),
  model: z.string().min(1).max(256).optional(),
  max_agents: z.number().int().min(1).optional(),
  max_parallel: z.number().int().min(1).max(1000).optional(),
  max_iterations: z.number().int().min(1).max(50).optional(),
  max_output_tokens: z.number().int().min(16).max(100_000).optional(),
  budget_usd: z.number().positive().max(1_000_000).optional(),
  timeout_s: z.number().int().min(1).max(86_400).optional(),
  /** The knowledge bases `knowledge_search` searches; replaces the template's `knowledge_bases`. */
  knowledge_bases: z.array(z.string().min(1).max(128)).min(1).max(maximumRunKnowledgeBases).optional(),
});

export type CreateSwarmRequest = z.output<typeof createSwarmRequestSchema>;

export interface SwarmLimits {
  defaultModel: string;
  /** The most agents (subtasks) a run may have: `max_agents` above it is refused. */
  maximumAgents: number;
  defaultTimeoutSeconds: number;
  /** When the organisation's plan set `maximumAgents`: its name and the upgrade that allows more. */
  planLimit?: { planName: string; upgradeHint: string };
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** A tool the model can be offered: a valid name and an object JSON schema for its arguments. */
function toolProblem(tool: Tool): string | null {
  const { name, parameters } = tool.definition;
  if (!toolNamePattern.test(name)) return `the tool name '${name}' must be 1–64 letters, digits, '_' or '-'`;
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    return `the tool '${name}' has no JSON schema object for its parameters`;
  }
  if (parameters.type !== 'object')
    return `the parameters schema of the tool '${name}' must have type 'object'`;
  const properties = parameters.properties;
  if (
    properties !== undefined &&
    (properties === null || typeof properties !== 'object' || Array.isArray(properties))
  ) {
    return `the parameters schema of the tool '${name}' has invalid 'properties'`;
  }
  const required = parameters.required;
  if (
    required !== undefined &&
    !(Array.isArray(required) && required.every((item) => typeof item === 'string'))
  ) {
    return `the parameters schema of the tool '${name}' has invalid 'required'`;
  }
  return null;
}

/**
 * Every dependency names another agent's role and no chain of them leads back to where it
 * started: a cycle could never run, so it is refused here, before anything is stored or billed.
 */
function assertRunnableDependencies(
  agents: readonly AgentSpecification[],
  roles: ReadonlySet<string>,
  agentsParam: string,
): void {
  const paramAt = (index: number) =>
    agentsParam === 'template' ? 'template' : `agents[${index}].depends_on`;
  for (const [index, agent] of agents.entries()) {
    for (const dependency of agent.dependsOn) {
      if (!roles.has(dependency) || dependency === agent.role) {
        throw errors.invalidRequest(
          paramAt(index),
          `'depends_on' names '${dependency}', which is not another agent's role.`,
        );
      }
    }
  }
  const nodes = agents.map((agent) => ({ id: agent.role, dependsOn: agent.dependsOn }));
  const cycle = findDependencyCycle(nodes);
  if (cycle === null) return;
  const { index, path } = describeCycle(nodes, cycle);
  throw errors.invalidRequest(
    paramAt(index),
    `'depends_on' makes a dependency cycle: ${path}, so none of these agents could start.`,
    'Remove one of the dependencies in the cycle; agents without dependencies run in parallel.',
  );
}

/**
 * Turns a request into the run's fixed specification: the template's or the inline agents, each
 * tool resolved and its schema checked, limits applied. Every refusal is a 400 naming its field.
 */
export async function specifyRun(
  organizationId: string,
  request: CreateSwarmRequest,
  resolvers: { tools: ToolResolver; templates: TemplateResolver; knowledgeBases?: KnowledgeBaseCheck },
  limits: SwarmLimits,
): Promise<RunSpecification> {
  if (request.max_agents !== undefined && request.max_agents > limits.maximumAgents) {
    throw errors.invalidRequest(
      'max_agents',
      limits.planLimit
        ? `'max_agents' is ${request.max_agents}, above the ${limits.planLimit.planName} plan's limit of ${limits.maximumAgents} agents per run.`
        : `'max_agents' is ${request.max_agents}, above this platform's limit of ${limits.maximumAgents} agents per run.`,
      limits.planLimit?.upgradeHint,
    );
  }
  if (request.template !== undefined && request.agents !== undefined) {
    throw errors.invalidRequest('agents', "Give either 'template' or 'agents', not both.");
  }
  let agents: AgentSpecification[] = [];
  let plannerInstructions: string | undefined;
  let synthesisInstructions: string | undefined;
  let knowledgeBases: string[] | undefined;
  const checkKnowledgeBases = resolvers.knowledgeBases ?? noKnowledgeBases;
  let agentsParam = 'agents';
  if (request.template !== undefined) {
    const template = await resolvers.templates.resolve(organizationId, request.template);
    if (template === null) {
      throw errors.invalidRequest(
        'template',
        `There is no swarm template named '${request.template}'.`,
        'List templates with GET /v1/swarm-templates.',
      );
    }
    agentsParam = 'template';
    agents = template.agents.map((agent) => ({
      role: agent.role,
      instructions: agent.instructions,
      ...((agent.model ?? agent.routing_policy) ? { model: agent.model ?? agent.routing_policy } : {}),
      tools: [...agent.tools],
      dependsOn: [...(agent.depends_on ?? [])],
    }));
    plannerInstructions = template.planner_instructions;
    synthesisInstructions = template.synthesis_instructions;
    if (request.knowledge_bases === undefined && template.knowledge_bases?.length) {
      knowledgeBases = [...template.knowledge_bases];
      await checkKnowledgeBases(knowledgeBases, 'template.knowledge_bases');
    }
  } else if (request.agents !== undefined) {
    agents = request.agents.map((agent) => ({
      role: agent.role,
      instructions: agent.instructions,
      ...((agent.model ?? agent.routing_policy) ? { model: agent.model ?? agent.routing_policy } : {}),
      tools: agent.tools,
      dependsOn: agent.depends_on,
    }));
  }
  if (request.knowledge_bases !== undefined) {
    knowledgeBases = [...request.knowledge_bases];
    await checkKnowledgeBases(knowledgeBases, 'knowledge_bases');
  }
  const roles = new Set<string>();
  for (const [index, agent] of agents.entries()) {
    if (roles.has(agent.role))
      throw errors.invalidRequest(
        `${agentsParam}[${index}].role`,
        `The role '${agent.role}' is given twice.`,
      );
    roles.add(agent.role);
  }
  assertRunnableDependencies(agents, roles, agentsParam);
  const maxAgents = request.max_agents ?? Math.min(limits.maximumAgents, Math.max(agents.length, 10));
  if (agents.length > maxAgents) {
    throw errors.invalidRequest(
      request.max_agents === undefined ? agentsParam : 'max_agents',
      `The run has ${agents.length} agents but 'max_agents' allows ${maxAgents}.`,
    );
  }
  for (const [index, agent] of agents.entries()) {
    if (agent.tools.length === 0) continue;
    const param = `${agentsParam === 'template' ? 'template' : `agents[${index}].tools`}`;
    let tools: Tool[];
    try {
      tools = await resolvers.tools.resolve(
        organizationId,
        agent.tools,
        knowledgeBases ? { knowledgeBases } : {},
      );
    } catch (error) {
      if (isPlatformError(error) && error.status === 400) {
        throw errors.invalidRequest(param, error.message, error.hint);
      }
      throw error;
    }
    for (const tool of tools) {
      const problem = toolProblem(tool);
      if (problem) throw errors.invalidRequest(param, `Invalid tool schema: ${problem}.`);
    }
  }
  return {
    agents,
    model: request.model ?? limits.defaultModel,
    maxAgents,
    maxParallel: request.max_parallel ?? Math.min(maxAgents, 10),
    maxIterations: request.max_iterations ?? 8,
    maxOutputTokens: request.max_output_tokens ?? 1024,
    ...(plannerInstructions ? { plannerInstructions } : {}),
    ...(synthesisInstructions ? { synthesisInstructions } : {}),
    ...(knowledgeBases ? { knowledgeBases } : {}),
  };
}
