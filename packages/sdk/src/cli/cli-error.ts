import { CommanderError } from 'commander';
import { type ExitCode, exitCodeForCategory, exitCodes } from './exit-codes.ts';

/** A failure the CLI itself detects (bad input, no credentials, a missing file), coded like the platform's. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

/** A mistake in how the command was called: exit 2. */
export function usageError(message: string, hint: string | null = null): CliError {
  return new CliError('USAGE_ERROR', message, exitCodes.usage, hint ?? "Run the command with '--help'.");
}

/** What the CLI prints and exits with for a failure. */
export interface RenderedError {
  exitCode: ExitCode;
  code: string;
  message: string;
  hint: string | null;
  /** Nothing to print (commander already printed help). */
  silent?: boolean;
}

/**
 * The one JSON shape of a failure with `--json` (a line on stderr), whatever failed: the CLI,
 * its flags or the platform (then with the request id, status and whether a retry may help).
 */
export interface ErrorJson {
  error: {
    code: string;
    message: string;
    hint: string | null;
    category: string;
    exit_code: number;
    status: number | null;
    retryable: boolean;
    request_id: string | null;
  };
}

interface KimiErrorLike {
  code: string;
  message: string;
  category: string;
  recoveryHint?: string | null | undefined;
  requestId?: string | null | undefined;
  status?: number | null | undefined;
  retryable?: boolean;
}

function isKimiErrorLike(error: unknown): error is KimiErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.category === 'string';
}

const helpCodes = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);
const helpHint = "Run the command with '--help'.";

/** Turns anything thrown by a command into its exit code and printable form. */
export function renderError(error: unknown): RenderedError {
  if (error instanceof CliError) {
    return { exitCode: error.exitCode, code: error.code, message: error.message, hint: error.hint };
  }
  if (error instanceof CommanderError) {
    const exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    // The help or version is already printed; nothing more to say.
    if (helpCodes.has(error.code)) return { exitCode, code: 'HELP', message: '', hint: null, silent: true };
    return { exitCode, code: 'USAGE_ERROR', message: error.message.replace(/^error: /, ''), hint: helpHint };
  }
  if (isKimiErrorLike(error)) {
    return {
      exitCode: exitCodeForCategory(error.category),
      code: error.code,
      message: error.message,
      hint: error.recoveryHint ?? null,
    };
  }
  return {
    exitCode: exitCodes.unknown,
    code: 'UNKNOWN_ERROR',
    message: error instanceof Error ? error.message : String(error),
    hint: null,
  };
}

const categoryOfExitCode = new Map<number, string>(
  Object.entries(exitCodes).map(([name, code]) => [code, name.replace(/([A-Z])/g, '_$1').toLowerCase()]),
);

/** The `--json` form of a failure (see {@link ErrorJson}). */
export function errorJson(error: unknown): ErrorJson {
  const rendered = renderError(error);
  const platform = isKimiErrorLike(error) ? error : null;
  return {
    error: {
      code: rendered.code,
      message: rendered.message,
      hint: rendered.hint,
      category: platform?.category ?? categoryOfExitCode.get(rendered.exitCode) ?? 'unknown',
      exit_code: rendered.exitCode,
      status: platform?.status ?? null,
      retryable: platform?.retryable ?? false,
      request_id: platform?.requestId ?? null,
    },
  };
}

/** `error CODE: message` and `hint: …` lines, as printed on stderr without `--json`. */
export function formatErrorText(rendered: RenderedError): string {
  const lines = [`error ${rendered.code}: ${rendered.message}`];
  if (rendered.hint) lines.push(`hint: ${rendered.hint}`);
  return `${lines.join('\n')}\n`;
}
