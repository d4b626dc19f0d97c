import type { ChatMessage, ToolDefinition as ModelToolDefinition } from '../../model/index.ts';
import { BudgetExhausted, StepFailed } from '../swarm-errors.ts';
import type { AgentSpecification, PlannedSubtask } from '../swarm-types.ts';
import type { Tool, ToolResult } from '../tool-contract.ts';
import type { RunContext } from './run-context.ts';

export type AgentOutcome =
  | { status: 'completed'; output: string }
  | { status: 'failed'; error: string }
  | { status: 'awaiting_approval' }
  | { status: 'budget_exhausted' };

export interface AgentAssignment {
  subtask: PlannedSubtask;
  agent: AgentSpecification;
  model: string;
  tools: readonly Tool[];
  /** Outputs of the subtasks this one depends on, by subtask id. */
  dependencyOutputs: ReadonlyMap<string, string>;
}

/** Keys of an agent's steps: deterministic, so a replay finds every recorded result. */
export const agentStepKeys = {
  model: (agentId: string, iteration: number) => `agent:${agentId}:model:${iteration}`,
  tool: (agentId: string, iteration: number, index: number) => `agent:${agentId}:tool:${iteration}:${index}`,
  result: (agentId: string) => `agent:${agentId}:result`,
};

function agentMessages(context: RunContext, assignment: AgentAssignment): ChatMessage[] {
  const { subtask, agent } = assignment;
  const dependencies = [...assignment.dependencyOutputs.entries()]
    .map(([id, output]) => `## Result of '${id}'\n${output}`)
    .join('\n\n');
  return [
    {
      role: 'system',
      content:
        `You are the ${agent.role} in a team of agents working on one task. ${agent.instructions}`.trim(),
    },
    {
      role: 'user',
      content: [
        `Task: ${context.run.task}`,
        `Your subtask (${subtask.id}): ${subtask.instructions}`,
        ...(dependencies ? [`Results you build on:\n\n${dependencies}`] : []),
      ].join('\n\n'),
    },
  ];
}

/**
 * One agent: model calls and tool calls in turn until the model answers without tools, at most
 * `maxIterations` model calls (the last one may not call tools). Tool errors go back to the model.
 * Every call is a step, so a replay walks the same path without calling anything again.
 */
export async function runAgent(context: RunContext, assignment: AgentAssignment): Promise<AgentOutcome> {
  const agentId = assignment.subtask.id;
  const recorded = context.step(agentStepKeys.result(agentId));
  if (recorded?.status === 'completed') return recorded.output as AgentOutcome;
  context.emit({
    key: `agent-start:${agentId}`,
    type: 'agent-start',
    data: { agent_id: agentId, role: assignment.subtask.role, model: assignment.model },
  });
  const outcome = await context.traced(
    `swarm agent ${agentId}`,
    {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': assignment.subtask.role,
      'kimi.swarm.agent_id': agentId,
    },
    () => iterate(context, assignment),
  );
  if (outcome.status === 'awaiting_approval') return outcome;
  // why: the end event is stored before the result, so a replay never misses it.
  await context.emit({
    key: `agent-end:${agentId}`,
    type: 'agent-end',
    data: {
      agent_id: agentId,
      status: outcome.status,
      ...('error' in outcome ? { error: outcome.error } : {}),
    },
  });
  if (outcome.status !== 'budget_exhausted') {
    await context.recordStep(agentStepKeys.result(agentId), 'agent-result', agentId, outcome);
  }
  return outcome;
}

async function iterate(context: RunContext, assignment: AgentAssignment): Promise<AgentOutcome> {
  const agentId = assignment.subtask.id;
  const { maxIterations, maxOutputTokens } = context.run.specification;
  const toolsByName = new Map(assignment.tools.map((tool) => [tool.definition.name, tool]));
  const toolDefinitions: ModelToolDefinition[] = assignment.tools.map((tool) => ({
    name: tool.definition.name,
    description: tool.definition.description,
    parameters: tool.definition.parameters,
  }));
  const messages = agentMessages(context, assignment);
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    const key = agentStepKeys.model(agentId, iteration);
    const last = iteration === maxIterations - 1;
    let answer: Awaited<ReturnType<RunContext['modelStep']>>;
    try {
      answer = await context.modelStep(key, 'model-call', agentId, assignment.model, {
        messages: [...messages],
        maxTokens: maxOutputTokens,
        ...(toolDefinitions.length > 0 ? { tools: toolDefinitions, toolChoice: last ? 'none' : 'auto' } : {}),
      });
    } catch (error) {
      if (error instanceof BudgetExhausted) return { status: 'budget_exhausted' };
      if (error instanceof StepFailed) return { status: 'failed', error: error.message };
      throw error;
    }
    if (answer.content) {
      context.emit({
        key: `text-delta:${key}`,
        type: 'text-delta',
        data: { agent_id: agentId, step_id: key, delta: answer.content },
      });
    }
    if (answer.toolCalls.length === 0) return { status: 'completed', output: answer.content ?? '' };
    messages.push({ role: 'assistant', content: answer.content, toolCalls: answer.toolCalls });
    for (const [index, call] of answer.toolCalls.entries()) {
      const toolKey = agentStepKeys.tool(agentId, iteration, index);
      const result = await toolStep(context, toolKey, agentId, call, toolsByName.get(call.name));
      if (result === 'awaiting_approval') return { status: 'awaiting_approval' };
      messages.push({
        role: 'tool',
        toolCallId: call.id,
        content: result.ok ? result.output : `Error: ${result.error}`,
      });
    }
  }
  return { status: 'failed', error: `The agent did not finish within ${maxIterations} model calls.` };
}

/** One tool call as a step: replayed, paused for approval, or executed with its error given back to the model. */
async function toolStep(
  context: RunContext,
  key: string,
  agentId: string,
  call: { id: string; name: string; arguments: string },
  tool: Tool | undefined,
): Promise<ToolResult | 'awaiting_approval'> {
  const recorded = context.step(key);
  if (recorded?.status === 'completed') return recorded.output as ToolResult;
  if (recorded?.status === 'awaiting_approval') return 'awaiting_approval';
  const input = { tool: call.name, tool_call_id: call.id, arguments: call.arguments };
  const startEvent = {
    key: `tool-call-start:${key}`,
    type: 'tool-call-start' as const,
    data: {
      agent_id: agentId,
      step_id: key,
      ...input,
      needs_approval: tool?.definition.needsApproval === true,
    },
  };
  if (tool?.definition.needsApproval && recorded?.status !== 'approved' && recorded?.status !== 'rejected') {
    await context.startStep(key, 'tool-call', agentId, input, 'awaiting_approval');
    await context.emit(startEvent);
    return 'awaiting_approval';
  }
  const decision = recorded?.output as { decision?: string; reason?: string | null } | null | undefined;
  context.emit(startEvent);
  const attempt = await context.startStep(key, 'tool-call', agentId, input);
  let result: ToolResult;
  if (recorded?.status === 'rejected') {
    result = {
      ok: false,
      error: `A person rejected this call${decision?.reason ? `: ${decision.reason}` : '.'}`,
    };
  } else if (tool === undefined) {
    result = { ok: false, error: `There is no tool named '${call.name}'.` };
  } else {
    result = await context.traced(
      `execute_tool ${call.name}`,
      { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': call.name, 'kimi.swarm.step': key },
      () => executeTool(context, key, attempt, tool, call.arguments),
    );
  }
  context.throwIfAborted();
  await context.completeStep(key, result);
  context.emit({
    key: `tool-call-end:${key}`,
    type: 'tool-call-end',
    data: {
      agent_id: agentId,
      step_id: key,
      tool: call.name,
      ok: result.ok,
      ...(result.ok ? { output: result.output } : { error: result.error }),
    },
  });
  return result;
}

async function executeTool(
  context: RunContext,
  key: string,
  attempt: number,
  tool: Tool,
  argumentsText: string,
): Promise<ToolResult> {
  let parsed: unknown;
  try {
    parsed = argumentsText.trim() === '' ? {} : JSON.parse(argumentsText);
  } catch (error) {
    return { ok: false, error: `The arguments are not valid JSON: ${(error as Error).message}` };
  }
  try {
    return await tool.execute(parsed, {
      organizationId: context.run.organizationId,
      runId: context.run.id,
      stepKey: key,
      signal: context.signal,
      caller: context.run.caller,
      attempt,
    });
  } catch (error) {
    context.throwIfAborted();
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
