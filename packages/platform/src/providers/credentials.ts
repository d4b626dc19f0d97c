/** Where a provider's platform key comes from: the config file's value, else an environment variable. */
export function keyReader(
  environment: Readonly<Record<string, string | undefined>>,
  source: { api_key?: string | undefined; api_key_env?: string | undefined },
  defaultVariable: string | undefined,
): () => string | undefined {
  const variable = source.api_key_env ?? defaultVariable;
  // Read on every call, so a rotated key in the environment needs no restart.
  return () => source.api_key ?? (variable ? environment[variable] : undefined) ?? undefined;
}

/** A named provider is on when its config section says so, or when its key variable is set. */
export function isEnabled(
  environment: Readonly<Record<string, string | undefined>>,
  section: { enabled?: boolean } | undefined,
  defaultVariable: string,
): boolean {
  if (section) return section.enabled !== false;
  return Boolean(environment[defaultVariable]);
}
