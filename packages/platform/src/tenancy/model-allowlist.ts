import type { AuthContext } from './roles.ts';

function matches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('/*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** True when the key may use the model, by the name the caller sent or the id it resolved to. */
export function isModelAllowed(context: AuthContext, requestedName: string, resolvedId: string): boolean {
  if (context.allowedModels === null) return true;
  return context.allowedModels.some(
    (pattern) => matches(pattern, requestedName) || matches(pattern, resolvedId),
  );
}
