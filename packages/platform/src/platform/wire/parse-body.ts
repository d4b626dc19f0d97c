import type { z } from 'zod';
import { formatIssuePath } from '../../config/index.ts';
import { errors, type PlatformError } from '../../errors/index.ts';

function issueToError(issue: z.core.$ZodIssue): PlatformError {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const param = formatIssuePath([...issue.path, key]);
    return errors.invalidRequest(
      param,
      `Unrecognized request argument supplied: '${param}'.`,
      `Remove '${param}'; see the API reference for the accepted fields.`,
    );
  }
  const param = formatIssuePath(issue.path);
  if (param === '') {
    return errors.invalidRequest(
      null,
      `The request body is invalid: ${issue.message}`,
      'Send a JSON object.',
    );
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    if (param === 'model') return errors.missingModel();
    return errors.invalidRequest(param, `Missing required parameter: '${param}'.`);
  }
  return errors.invalidRequest(param, `Invalid value for '${param}': ${issue.message}.`);
}

/** Parses a request part with zod; a failure is a 400 naming the first offending field. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0]!);
}
