import { createHash } from 'node:crypto';
import { PlatformError } from '../../errors/index.ts';

/** JSON with object keys sorted at every depth, so equal requests have equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The SHA-256 of a creation request's canonical JSON: what a replay must match. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** The same Idempotency-Key came with a different request body. */
export function idempotencyKeyReused(key: string, runId: string): PlatformError {
  return new PlatformError({
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: `The Idempotency-Key '${key.slice(0, 64)}' was already used to create the swarm run '${runId}' with a different request.`,
    param: 'Idempotency-Key',
    hint: 'Send a new Idempotency-Key for a new run, or repeat the original request exactly to get its run.',
    status: 422,
    category: 'user',
    type: 'invalid_request_error',
  });
}
