import { errors } from '../../errors/index.ts';
import type { ToolChoice, ToolDefinition } from '../../model/index.ts';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-api.ts';

/** Our tool definitions as Anthropic client tools; undefined when there are none. */
export function convertTools(tools: readonly ToolDefinition[] | undefined): AnthropicTool[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  return tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    input_schema: tool.parameters,
    ...(tool.strict === undefined ? {} : { strict: tool.strict }),
  }));
}

/**
 * `auto`/`required`/`none`/`{ name }` as Anthropic's `auto`/`any`/`none`/`tool`, with
 * `disable_parallel_tool_use` when the caller turned parallel tool calls off.
 */
export function convertToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
  hasTools: boolean,
): AnthropicToolChoice | undefined {
  if (!hasTools) {
    if (choice === 'required' || typeof choice === 'object') {
      throw errors.invalidRequest(
        'tool_choice',
        'tool_choice asks for a tool call, but the request has no tools.',
      );
    }
    return undefined;
  }
  if (choice === 'none') return { type: 'none' };
  const serial = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'required') return { type: 'any', ...serial };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...serial };
  if (choice === 'auto' || parallelToolCalls === false) return { type: 'auto', ...serial };
  return undefined;
}
