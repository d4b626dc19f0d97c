import type { GraphQLFieldResolver } from 'graphql';
import type { z } from 'zod';
import { isPlatformError, PlatformError } from '../../errors/index.ts';
import { parseWith } from '../parse-body.ts';

/**
 * GraphQL names are the REST names in camelCase. One rule maps between them both ways, so the
 * GraphQL surface reads the REST serializers' objects and validates with the REST schemas.
 */

const snakeNames = new Map<string, string>();

/** `createdAt` → `created_at`, `cacheWrite1hTokens` → `cache_write_1h_tokens`, `timeoutS` → `timeout_s`. */
export function snakeCase(name: string): string {
  let snake = snakeNames.get(name);
  if (snake === undefined) {
    snake = name.replace(/([a-z0-9])([A-Z])|([a-z])([0-9])/g, (_match, a, b, c, d) =>
      a !== undefined ? `${a}_${b}` : `${c}_${d}`,
    );
    snake = snake.toLowerCase();
    snakeNames.set(name, snake);
  }
  return snake;
}

/** `agents[0].depends_on` → `agents[0].dependsOn`. */
export function camelCase(path: string): string {
  return path.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Reads a field from a REST-shaped object: its own name first, then the snake_case one. */
export const restFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (source === null || typeof source !== 'object') return undefined;
  const record = source as Record<string, unknown>;
  const value = record[info.fieldName];
  if (value !== undefined) return value;
  return record[snakeCase(info.fieldName)];
};

/** Input fields whose values are JSON given by the caller: copied as they are, never renamed. */
const verbatimFields = new Set(['metadata', 'filter', 'fields']);

/**
 * A GraphQL input object as the REST body it stands for: keys in snake_case (nested input
 * objects too, JSON values as given) and absent fields left out.
 */
export function restBodyOf(input: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    body[snakeCase(key)] = verbatimFields.has(key) ? value : restValueOf(value);
  }
  return body;
}

function restValueOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restValueOf);
  if (value !== null && typeof value === 'object') return restBodyOf(value as Record<string, unknown>);
  return value;
}

/**
 * Validates a GraphQL input with the REST route's schema. A refusal names the field as the
 * GraphQL caller wrote it (`input.teamId`; `topK` for field arguments, where `argument` is
 * empty), with the REST error's code and hint.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: Record<string, unknown>,
  argument: string,
): z.output<Schema> {
  try {
    return parseWith(schema, restBodyOf(input));
  } catch (error) {
    if (!isPlatformError(error)) throw error;
    const named = error.param === null ? null : camelCase(error.param);
    const param = named === null ? argument || null : argument ? `${argument}.${named}` : named;
    const rename = (text: string) =>
      error.param && param ? text.replaceAll(`'${error.param}'`, `'${param}'`) : text;
    const hint = error.hint === undefined ? undefined : rename(error.hint);
    throw new PlatformError({
      code: error.code,
      message: rename(error.message),
      status: error.status,
      category: error.category,
      type: error.type,
      param,
      ...(hint === undefined ? {} : { hint }),
    });
  }
}

/**
 * Validates a field's arguments with the REST query's schema: an argument given as null is one
 * not given (REST has no null query parameters), and a refusal names the argument (`topK`).
 */
export function parseArguments<Schema extends z.ZodType>(
  schema: Schema,
  args: Record<string, unknown>,
): z.output<Schema> {
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null));
  return parseInput(schema, given, '');
}
