import { InvalidArgumentError } from 'commander';
import type { CommandContext } from './context.ts';

/** A command's body: the context, its positional arguments (as commander parsed them) and its options. */
export type Handler<Options> = (context: CommandContext, args: unknown[], options: Options) => Promise<void>;

/** Wraps a handler as a commander action that builds the command's context first. */
export type ActionBinder = <Options>(handler: Handler<Options>) => (...raw: unknown[]) => Promise<void>;

/** The context of the command that ran, so the caller can read the exit code it asked for. */
export interface RunState {
  context: CommandContext | null;
}

/** A positive integer option value (`--top-k 5`); anything else is a usage error (exit 2). */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('Expected a positive integer.');
  return parsed;
}

/** A non-negative number option value (`--budget 0.5`). */
export function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new InvalidArgumentError('Expected a number, 0 or more.');
  }
  return parsed;
}
