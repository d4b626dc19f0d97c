import { errors } from './error-codes.ts';

/**
 * Refuses a list in which a name repeats (tools of one request, say): a 400 naming the field of
 * the first repeat, as `fieldOf(index)` spells it in the caller's wire format.
 */
export function requireUniqueNames(names: readonly string[], fieldOf: (index: number) => string): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) {
      throw errors.invalidRequest(
        fieldOf(index),
        `Duplicate tool name '${name}'.`,
        'Give every tool a unique name.',
      );
    }
    seen.add(name);
  });
}
