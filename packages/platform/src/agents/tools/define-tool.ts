import type { Tool, ToolDefinition, ToolExecutionContext, ToolResult } from '../tool-contract.ts';
import { compileArgumentValidator } from './json-schema.ts';
import { defaultToolLimits, type ToolLimits } from './tool-limits.ts';

/** What an executor may return: text (success) or a full result. */
export type ExecutorOutput = string | ToolResult;

/** The part of a tool that does the work; its arguments are already validated against the schema. */
export type ToolExecutor = (
  argumentsValue: Record<string, unknown>,
  context: ToolExecutionContext,
) => Promise<ExecutorOutput>;

/** Tells the model that a tool took too long. */
class ToolTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The tool did not finish within ${timeoutMs} ms.`);
    this.name = 'ToolTimeoutError';
  }
}

function parseArguments(argumentsJson: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof argumentsJson !== 'string') return { ok: true, value: argumentsJson ?? {} };
  if (argumentsJson.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(argumentsJson) };
  } catch (error) {
    return { ok: false, error: `The arguments are not valid JSON: ${(error as Error).message}` };
  }
}

function limitOutput(result: ToolResult, maxCharacters: number): ToolResult {
  const text = result.ok ? result.output : result.error;
  if (text.length <= maxCharacters) return result;
  const cut = `${text.slice(0, maxCharacters)}\n[truncated: the tool returned ${text.length} characters; the first ${maxCharacters} are shown]`;
  return result.ok ? { ok: true, output: cut } : { ok: false, error: cut };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Wraps an executor into a Tool: the arguments (a JSON string from the model, or a parsed value)
 * are validated against the definition's schema first; the executor runs under a time limit with
 * an abort signal that fires on the limit or when the run is cancelled; its output is size-limited;
 * and every failure becomes `{ ok: false, error }` for the model to read — nothing is thrown.
 */
export function defineTool(
  definition: ToolDefinition,
  executor: ToolExecutor,
  limits: ToolLimits = defaultToolLimits,
): Tool {
  const validate = compileArgumentValidator(definition.parameters);
  return {
    definition,
    async execute(argumentsJson, context) {
      const parsed = parseArguments(argumentsJson);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      const problem = validate(parsed.value);
      if (problem) return { ok: false, error: `Invalid arguments for ${definition.name}: ${problem}.` };
      if (context.signal.aborted) return { ok: false, error: 'The run was cancelled before the tool ran.' };
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new ToolTimeoutError(limits.timeoutMs)), limits.timeoutMs);
      const signal = AbortSignal.any([context.signal, timeout.signal]);
      let onAbort = () => {};
      const aborted = new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const output = await Promise.race([
          executor(parsed.value as Record<string, unknown>, { ...context, signal }),
          aborted,
        ]);
        const result: ToolResult = typeof output === 'string' ? { ok: true, output } : output;
        return limitOutput(result, limits.maxOutputCharacters);
      } catch (error) {
        if (timeout.signal.aborted) return { ok: false, error: messageOf(timeout.signal.reason) };
        if (context.signal.aborted) return { ok: false, error: 'The run was cancelled while the tool ran.' };
        return limitOutput({ ok: false, error: messageOf(error) }, limits.maxOutputCharacters);
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
