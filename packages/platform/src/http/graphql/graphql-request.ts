import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors, type PlatformError } from '../../errors/index.ts';
import { parseWith } from '../parse-body.ts';
import { graphqlErrors } from './graphql-errors.ts';

/** The longest query document accepted, in characters. */
export const maximumQueryLength = 32_768;

const variablesSchema = z.record(z.string(), z.unknown());

/** A POST body: one operation (batches of operations are refused). */
export const postBodySchema = z.strictObject({
  query: z.string().min(1, 'must not be empty'),
  operationName: z.string().max(256).nullish(),
  variables: variablesSchema.nullish(),
  extensions: variablesSchema.nullish(),
});

/** GET carries the same fields in the query string, variables and extensions as JSON text. */
export const getQuerySchema = z.strictObject({
  query: z.string().min(1, 'must not be empty'),
  operationName: z.string().max(256).optional(),
  variables: z.string().max(maximumQueryLength).optional(),
  extensions: z.string().max(maximumQueryLength).optional(),
});

/** A query document over the length limit, as a coded error. */
export function checkRequestSize(request: { query?: unknown }): PlatformError | null {
  if (typeof request.query === 'string' && request.query.length > maximumQueryLength) {
    return graphqlErrors.limitExceeded(
      'QUERY_TOO_LARGE',
      `The query is ${request.query.length} characters long; the limit is ${maximumQueryLength}.`,
      'Send a shorter document: move repeated parts into variables or fragments, or split it.',
    );
  }
  return null;
}

function jsonObjectOf(text: string | undefined, param: string): void {
  if (text === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.invalidRequest(param, `'${param}' must be a JSON object.`);
  }
  if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw errors.invalidRequest(param, `'${param}' must be a JSON object.`);
  }
}

/**
 * Checks that a request is a GraphQL-over-HTTP request before GraphQL sees it: anything else
 * (no query, a batch, wrong types, an over-long document) is a 400 in the REST error shape.
 */
export function checkGraphQLRequest(request: FastifyRequest): void {
  if (request.method === 'POST') {
    if (Array.isArray(request.body)) {
      throw errors.invalidRequest(
        null,
        'Batched operations are not supported.',
        'Send one operation per request.',
      );
    }
    const body = parseWith(postBodySchema, request.body);
    const tooLarge = checkRequestSize(body);
    if (tooLarge) throw tooLarge;
    return;
  }
  const query = parseWith(getQuerySchema, request.query);
  const tooLarge = checkRequestSize(query);
  if (tooLarge) throw tooLarge;
  jsonObjectOf(query.variables, 'variables');
  jsonObjectOf(query.extensions, 'extensions');
}
