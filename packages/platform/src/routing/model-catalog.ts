import { errors } from '../errors/index.ts';
import type { ModelDescriptor, Provider } from '../model/index.ts';

export interface ResolvedModel {
  /** What the caller sent: a public id or an alias. */
  requestedName: string;
  /** The public id `provider/model` it resolved to. */
  publicId: string;
  provider: Provider;
  descriptor: ModelDescriptor;
}

export interface CatalogEntry {
  descriptor: ModelDescriptor;
  aliases: string[];
}

/** Every model the platform can serve, by public id and alias. */
export interface ModelCatalog {
  /** Throws MODEL_NOT_FOUND (404) for a name that is neither a public id nor an alias. */
  resolve(name: string): ResolvedModel;
  /** True when `resolve` would find the name (a public id or an alias). */
  has(name: string): boolean;
  list(): CatalogEntry[];
  /** The alias target, or null when `name` is not an alias. */
  aliasTarget(name: string): string | null;
}

/**
 * Builds the catalog from the providers' models and the config file's aliases. An alias whose
 * target does not exist is a configuration error naming the alias.
 */
export function createModelCatalog(
  providers: readonly Provider[],
  aliases: Readonly<Record<string, string>>,
): ModelCatalog {
  const byId = new Map<string, { provider: Provider; descriptor: ModelDescriptor }>();
  for (const provider of providers) {
    for (const descriptor of provider.listModels()) byId.set(descriptor.id, { provider, descriptor });
  }
  const aliasMap = new Map<string, string>();
  for (const [alias, target] of Object.entries(aliases)) {
    if (!byId.has(target)) {
      throw new Error(
        `Invalid config: aliases.${alias}: target model '${target}' is not available (known: ${[...byId.keys()].join(', ')})`,
      );
    }
    if (byId.has(alias))
      throw new Error(`Invalid config: aliases.${alias}: an alias cannot shadow a model id`);
    aliasMap.set(alias, target);
  }
  const resolutions = new Map<string, ResolvedModel>();
  for (const [id, found] of byId) resolutions.set(id, { requestedName: id, publicId: id, ...found });
  for (const [alias, target] of aliasMap) {
    const found = byId.get(target)!;
    resolutions.set(alias, { requestedName: alias, publicId: target, ...found });
  }
  return {
    resolve(name) {
      const resolution = resolutions.get(name);
      if (!resolution) throw errors.modelNotFound(name);
      return resolution;
    },
    has: (name) => resolutions.has(name),
    list() {
      return [...byId.values()].map(({ descriptor }) => ({
        descriptor,
        aliases: [...aliasMap].filter(([, target]) => target === descriptor.id).map(([alias]) => alias),
      }));
    },
    aliasTarget: (name) => aliasMap.get(name) ?? null,
  };
}
