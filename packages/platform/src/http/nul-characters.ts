import { formatIssuePath } from '../config/index.ts';
import { errors, type PlatformError } from '../errors/index.ts';

const nul = '\u0000';
/** Deeper than any request the API accepts; a body nested further is refused by its schema anyway. */
const maximumDepth = 64;

/**
 * The path of the first string or object key that contains U+0000 (`agents[0].role`), or null.
 * PostgreSQL cannot store NUL in text or JSON, so such a value must be refused as the caller's
 * mistake before it reaches a query (where it was a 500).
 */
export function nulCharacterPath(value: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof value === 'string') return value.includes(nul) ? path : null;
  if (typeof value !== 'object' || value === null || path.length > maximumDepth) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulCharacterPath(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(nul)) return [...path, key.replaceAll(nul, '\\u0000')];
    const found = nulCharacterPath(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** The 400 for a NUL character at `path`. */
export function nulCharacterError(path: readonly PropertyKey[]): PlatformError {
  const param = formatIssuePath(path);
  return errors.invalidRequest(
    param || null,
    param
      ? `Invalid value for '${param}': text may not contain NUL characters (U+0000).`
      : 'The request may not contain NUL characters (U+0000).',
    'Remove the NUL characters (\\u0000 in JSON, %00 in a URL) and retry.',
  );
}

/** Refuses NUL in path parameters, query values and a parsed JSON body; the URL and raw text say cheaply when to look. */
export function checkNulCharacters(request: {
  url: string;
  params: unknown;
  query: unknown;
}): PlatformError | null {
  if (!request.url.includes('%00')) return null;
  const found = nulCharacterPath(request.params) ?? nulCharacterPath(request.query);
  return found ? nulCharacterError(found) : null;
}
