/**
 * The CLI's exit codes: one per error category, so scripts can branch on `$?` without parsing
 * messages. The table is documented in packages/sdk/CLI.md and must stay equal to it.
 */
export const exitCodes = {
  ok: 0,
  unknown: 1,
  usage: 2,
  authentication: 3,
  validation: 4,
  resources: 5,
  limits: 6,
  provider: 7,
  network: 8,
  server: 9,
  /** A check the command ran said no (e.g. `kimi audit verify` found a broken chain). */
  checkFailed: 10,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The categories `KimiError.category` takes (the SDK's interface). */
export type ErrorCategory =
  | 'network'
  | 'authentication'
  | 'limits'
  | 'validation'
  | 'provider'
  | 'resources'
  | 'server';

const byCategory: Record<ErrorCategory, ExitCode> = {
  authentication: exitCodes.authentication,
  validation: exitCodes.validation,
  resources: exitCodes.resources,
  limits: exitCodes.limits,
  provider: exitCodes.provider,
  network: exitCodes.network,
  server: exitCodes.server,
};

/** The exit code of an error category; unknown categories exit 1. */
export function exitCodeForCategory(category: string | undefined): ExitCode {
  if (category !== undefined && Object.hasOwn(byCategory, category)) {
    return byCategory[category as ErrorCategory];
  }
  return exitCodes.unknown;
}
