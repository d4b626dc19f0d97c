import { errors } from '../../errors/index.ts';
import type { ChatRequest, ToolCall, ToolDefinition } from '../../model/index.ts';
import type { RandomSource } from '../../support/index.ts';
import { pickOne, randomBase62 } from './deterministic-random.ts';
import { sampleJsonSchema } from './json-schema-sample.ts';
import { significantWords } from './prompt-text.ts';

/** OpenAI models rarely call more tools at once; four keeps simulated replies readable. */
const maximumParallelCalls = 4;

/** Rejects a `tool_choice` that cannot be honoured, before any simulated latency or fault. */
export function validateToolChoice(request: ChatRequest): void {
  const choice = request.toolChoice;
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  const tools = request.tools ?? [];
  if (tools.length === 0) {
    throw errors.invalidRequest('tool_choice', "'tool_choice' needs 'tools'; the request offers none.");
  }
  if (typeof choice === 'object' && !tools.some((tool) => tool.name === choice.name)) {
    throw errors.invalidRequest(
      'tool_choice',
      `'tool_choice' names the tool '${choice.name}', which is not among the offered tools (${tools.map((tool) => tool.name).join(', ')}).`,
    );
  }
}

/**
 * The tool calls a simulated model makes, or an empty list when it should answer in text.
 * With `auto` it calls the tools whose name or description shares a word with the prompt;
 * after a tool result it never calls again, so agent loops terminate.
 */
export function planToolCalls(request: ChatRequest, prompt: string, random: RandomSource): ToolCall[] {
  const tools = request.tools ?? [];
  const choice = request.toolChoice ?? 'auto';
  if (tools.length === 0 || choice === 'none' || request.messages.at(-1)?.role === 'tool') return [];
  let chosen: ToolDefinition[];
  if (typeof choice === 'object') {
    chosen = tools.filter((tool) => tool.name === choice.name).slice(0, 1);
  } else {
    chosen = matchingTools(tools, prompt);
    if (chosen.length === 0 && choice === 'required') chosen = [pickOne(random, tools)];
    chosen = chosen.slice(0, request.parallelToolCalls === false ? 1 : maximumParallelCalls);
  }
  return chosen.map((tool) => ({
    id: `call_${randomBase62(random, 24)}`,
    name: tool.name,
    arguments: JSON.stringify(sampleJsonSchema(tool.parameters, { random, contextText: prompt })),
  }));
}

/** Tools sharing words with the prompt, most shared words first, ties in the offered order. */
function matchingTools(tools: readonly ToolDefinition[], prompt: string): ToolDefinition[] {
  const promptWords = new Set(significantWords(prompt).map(stem));
  return tools
    .map((tool, index) => {
      const toolWords = new Set(significantWords(`${tool.name} ${tool.description ?? ''}`).map(stem));
      return { tool, index, overlap: [...toolWords].filter((word) => promptWords.has(word)).length };
    })
    .filter((candidate) => candidate.overlap > 0)
    .sort((first, second) => second.overlap - first.overlap || first.index - second.index)
    .map((candidate) => candidate.tool);
}

/** Why: "forecasts" in a description should match "forecast" in a prompt. */
function stem(word: string): string {
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}
