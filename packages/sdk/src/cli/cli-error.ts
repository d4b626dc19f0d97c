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
  /** The machine-readable form printed with `--json`. */
  json: Record<string, unknown>;
  /** Nothing to print (commander already printed help). */
  silent?: boolean;
}

interface KimiErrorLike {
  code: string;
  message: string;
  category: string;
  recoveryHint?: string | null;
  requestId?: string | null;
  status?: number | null;
  toJSON?: () => unknown;
}

function isKimiErrorLike(error: unknown): error is KimiErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.category === 'string';
}

/** Turns anything thrown by a command into its exit code and printable form. */
export function renderError(error: unknown): RenderedError {
  if (error instanceof CliError) {
    return {
      exitCode: error.exitCode,
      code: error.code,
      message: error.message,
      hint: error.hint,
      json: { error: { code: error.code, message: error.message, hint: error.hint } },
    };
  }
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.help' ||
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version'
    ) {
      // The help or version is already printed; nothing more to say.
      const exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
      return { exitCode, code: 'HELP', message: '', hint: null, json: {}, silent: true };
    }
    const message = error.message.replace(/^error: /, '');
    return {
      exitCode: error.exitCode === 0 ? exitCodes.ok : exitCodes.usage,
      code: 'USAGE_ERROR',
      message,
      hint: "Run the command with '--help'.",
      json: { error: { code: 'USAGE_ERROR', message, hint: "Run the command with '--help'." } },
    };
  }
  if (isKimiErrorLike(error)) {
    const hint = error.recoveryHint ?? null;
    const serialized = typeof error.toJSON === 'function' ? error.toJSON() : null;
    return {
      exitCode: exitCodeForCategory(error.category),
      code: error.code,
      message: error.message,
      hint,
      json: {
        error:
          typeof serialized === 'object' && serialized !== null
            ? serialized
            : {
                code: error.code,
                category: error.category,
                message: error.message,
                hint,
                request_id: error.requestId ?? null,
              },
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: exitCodes.unknown,
    code: 'UNKNOWN_ERROR',
    message,
    hint: null,
    json: { error: { code: 'UNKNOWN_ERROR', message, hint: null } },
  };
}

/** `error CODE: message` and `hint: …` lines, as printed on stderr without `--json`. */
export function formatErrorText(rendered: RenderedError): string {
  const lines = [`error ${rendered.code}: ${rendered.message}`];
  if (rendered.hint) lines.push(`hint: ${rendered.hint}`);
  return `${lines.join('\n')}\n`;
}
