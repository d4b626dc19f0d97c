import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from './cli-error.ts';
import { exitCodes } from './exit-codes.ts';

const profileSchema = z.object({
  base_url: z.url(),
  api_key: z.string().min(1),
  organization_id: z.string().nullish(),
});

const configFileSchema = z.object({
  current_profile: z.string().nullish(),
  profiles: z.record(z.string(), profileSchema).default({}),
});

export type Profile = z.infer<typeof profileSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;

export const defaultProfileName = 'default';
export const defaultBaseUrl = 'http://localhost:8080';

/** `$KIMI_CONFIG_DIR`, else `$XDG_CONFIG_HOME/kimi`, else `~/.config/kimi`. */
export function configDirectory(environment: NodeJS.ProcessEnv): string {
  if (environment.KIMI_CONFIG_DIR) return environment.KIMI_CONFIG_DIR;
  const base = environment.XDG_CONFIG_HOME || join(environment.HOME || homedir(), '.config');
  return join(base, 'kimi');
}

export function configFilePath(environment: NodeJS.ProcessEnv): string {
  return join(configDirectory(environment), 'config.json');
}

/** The profiles file; an absent file is an empty one, a malformed one is an error naming the file. */
export async function readConfigFile(environment: NodeJS.ProcessEnv): Promise<ConfigFile> {
  const path = configFilePath(environment);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { current_profile: null, profiles: {} };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidConfig(path, 'it is not valid JSON');
  }
  const result = configFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidConfig(path, `${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function invalidConfig(path: string, reason: string): CliError {
  return new CliError(
    'CONFIG_INVALID',
    `The profiles file ${path} is invalid: ${reason}.`,
    exitCodes.usage,
    "Fix or delete the file, then run 'kimi login' again.",
  );
}

/**
 * Writes the profiles file readable by its owner only: directory 0700, file 0600 (written to a
 * temporary file with that mode and renamed, so the key is never briefly world-readable).
 */
export async function writeConfigFile(environment: NodeJS.ProcessEnv, config: ConfigFile): Promise<string> {
  const directory = configDirectory(environment);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
  const path = configFilePath(environment);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

/** Adds or replaces a profile and makes it the current one. */
export async function saveProfile(
  environment: NodeJS.ProcessEnv,
  name: string,
  profile: Profile,
): Promise<string> {
  const config = await readConfigFile(environment);
  return writeConfigFile(environment, {
    current_profile: name,
    profiles: { ...config.profiles, [name]: profile },
  });
}

/** Removes a profile; true when it existed. */
export async function removeProfile(environment: NodeJS.ProcessEnv, name: string): Promise<boolean> {
  const config = await readConfigFile(environment);
  if (!Object.hasOwn(config.profiles, name)) return false;
  const { [name]: _removed, ...rest } = config.profiles;
  await writeConfigFile(environment, {
    current_profile: config.current_profile === name ? null : (config.current_profile ?? null),
    profiles: rest,
  });
  return true;
}

/** Makes an existing profile the current one. */
export async function useProfile(environment: NodeJS.ProcessEnv, name: string): Promise<void> {
  const config = await readConfigFile(environment);
  if (!Object.hasOwn(config.profiles, name)) throw unknownProfile(name, config);
  await writeConfigFile(environment, { ...config, current_profile: name });
}

export function unknownProfile(name: string, config: ConfigFile): CliError {
  const known = Object.keys(config.profiles);
  return new CliError(
    'PROFILE_NOT_FOUND',
    `There is no profile named '${name}'.`,
    exitCodes.usage,
    known.length > 0
      ? `Known profiles: ${known.join(', ')}. Or run 'kimi login --profile ${name}'.`
      : `Run 'kimi login --profile ${name}' first.`,
  );
}

export interface Credentials {
  profileName: string;
  baseUrl: string;
  apiKey: string | null;
  organizationId: string | null;
  /** Where the key came from, for `kimi profiles current` and error hints. */
  apiKeySource: 'flag' | 'environment' | 'profile' | 'none';
}

export interface CredentialOptions {
  profile?: string | undefined;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
}

/**
 * Who the command acts as: flags first, then KIMI_API_KEY / KIMI_BASE_URL, then the profile
 * (`--profile`, KIMI_PROFILE or the current one), then the default address.
 */
export async function resolveCredentials(
  environment: NodeJS.ProcessEnv,
  options: CredentialOptions,
): Promise<Credentials> {
  const config = await readConfigFile(environment);
  const explicitName = options.profile ?? environment.KIMI_PROFILE;
  const profileName = explicitName ?? config.current_profile ?? defaultProfileName;
  const profile = config.profiles[profileName];
  if (explicitName !== undefined && profile === undefined && !options.apiKey && !environment.KIMI_API_KEY) {
    throw unknownProfile(explicitName, config);
  }
  const apiKey = options.apiKey ?? environment.KIMI_API_KEY ?? profile?.api_key ?? null;
  const apiKeySource = options.apiKey
    ? 'flag'
    : environment.KIMI_API_KEY
      ? 'environment'
      : profile
        ? 'profile'
        : 'none';
  return {
    profileName,
    baseUrl: options.baseUrl ?? environment.KIMI_BASE_URL ?? profile?.base_url ?? defaultBaseUrl,
    apiKey,
    organizationId: profile?.organization_id ?? null,
    apiKeySource,
  };
}
