import { errors } from '../errors/index.ts';
import type { ModelKind } from '../providers/spec/index.ts';
import type { ModelCatalog, ResolvedModel } from '../routing/index.ts';
import { type AuthContext, isModelAllowed } from '../tenancy/index.ts';

/** Resolves a model name for a caller: 404 when unknown, 403 when the key may not use it. */
export function resolveForCaller(
  catalog: ModelCatalog,
  context: AuthContext,
  modelName: string,
  kind: ModelKind,
): ResolvedModel {
  const resolved = catalog.resolve(modelName);
  if (!isModelAllowed(context, modelName, resolved.publicId)) throw errors.modelNotAllowed(modelName);
  if (resolved.descriptor.kind !== kind) {
    throw errors.modelCapabilityMissing(modelName, kind === 'chat' ? 'chat completions' : 'embeddings');
  }
  return resolved;
}
