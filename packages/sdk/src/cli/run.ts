import { errorJson, formatErrorText, renderError } from './cli-error.ts';
import type { RunState } from './command-kit.ts';
import type { CliIo } from './context.ts';
import { exitCodes } from './exit-codes.ts';
import { createProgram } from './program.ts';

/**
 * Runs the program on `argv` (without node and the script) and returns the exit code: the
 * command's own (0, or 10 for a failed check), else the one its error's category maps to.
 * Errors go to stderr as `error CODE: message` and `hint: …`, or as JSON with `--json`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const state: RunState = { context: null };
  const program = createProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.context?.exitCode ?? exitCodes.ok;
  } catch (error) {
    const rendered = renderError(error);
    if (rendered.exitCode === exitCodes.ok || rendered.silent) return rendered.exitCode;
    const json = state.context?.json ?? argv.includes('--json');
    io.stderr.write(json ? `${JSON.stringify(errorJson(error))}\n` : formatErrorText(rendered));
    return rendered.exitCode;
  }
}
