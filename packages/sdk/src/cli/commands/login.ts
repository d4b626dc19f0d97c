import type { Command } from 'commander';
import { CliError, usageError } from '../cli-error.ts';
import type { ActionBinder } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';
import { renderTable } from '../output/index.ts';
import {
  configFilePath,
  defaultBaseUrl,
  defaultProfileName,
  readConfigFile,
  removeProfile,
  saveProfile,
  useProfile,
} from '../profile-store.ts';
import { readSecret } from '../read-input.ts';

/** `sk-kimi-abcd…wxyz`: enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  if (key.length <= 12) return '…';
  return `${key.slice(0, 12)}…${key.slice(-4)}`;
}

async function login(context: CommandContext): Promise<void> {
  const { io, options } = context;
  const name = options.profile ?? io.environment.KIMI_PROFILE ?? defaultProfileName;
  const config = await readConfigFile(io.environment);
  const existing = config.profiles[name];
  const baseUrl = options.baseUrl ?? io.environment.KIMI_BASE_URL ?? existing?.base_url ?? defaultBaseUrl;
  const apiKey = options.apiKey ?? io.environment.KIMI_API_KEY ?? (await readSecret(io, 'API key: '));
  if (!apiKey) {
    throw usageError(
      'No API key given.',
      "Pass '--api-key KEY', pipe the key on stdin, or set KIMI_API_KEY.",
    );
  }
  try {
    new URL(baseUrl);
  } catch {
    throw usageError(`'${baseUrl}' is not a URL.`, "Pass '--base-url http://host:port'.");
  }
  const client = io.createClient({
    apiKey,
    baseUrl,
    ...(options.timeout ? { timeoutMs: options.timeout } : {}),
  });
  // why: a key is saved only once the platform accepted it (a wrong key exits 3 here).
  const me = await client.me();
  const path = await saveProfile(io.environment, name, {
    base_url: baseUrl,
    api_key: apiKey,
    organization_id: me.organization_id,
  });
  context.printJson({
    profile: name,
    base_url: baseUrl,
    organization_id: me.organization_id,
    role: me.role,
    config_file: path,
  });
  context.print(
    `Logged in to ${baseUrl} as ${me.role} of organisation ${me.organization_id ?? '-'}.\n` +
      `Profile '${name}' saved to ${path} (mode 0600) and made current.`,
  );
}

async function logout(context: CommandContext): Promise<void> {
  const { io, options } = context;
  const config = await readConfigFile(io.environment);
  const name = options.profile ?? io.environment.KIMI_PROFILE ?? config.current_profile ?? defaultProfileName;
  const removed = await removeProfile(io.environment, name);
  if (!removed) {
    throw new CliError('PROFILE_NOT_FOUND', `There is no profile named '${name}'.`, exitCodes.usage, null);
  }
  context.printJson({ profile: name, removed: true });
  context.print(`Profile '${name}' removed from ${configFilePath(io.environment)}.`);
}

async function listProfiles(context: CommandContext): Promise<void> {
  const config = await readConfigFile(context.io.environment);
  const rows = Object.entries(config.profiles).map(([name, profile]) => ({
    name,
    current: name === config.current_profile,
    base_url: profile.base_url,
    organization_id: profile.organization_id ?? null,
    api_key: maskKey(profile.api_key),
  }));
  context.printJson({ current_profile: config.current_profile ?? null, profiles: rows });
  if (rows.length === 0) {
    context.print("No profiles yet. Run 'kimi login --api-key KEY'.");
    return;
  }
  context.print(
    renderTable(rows, [
      { header: '', value: (row) => (row.current ? '*' : ' ') },
      { header: 'profile', value: (row) => row.name },
      { header: 'base url', value: (row) => row.base_url },
      { header: 'organization', value: (row) => row.organization_id },
      { header: 'api key', value: (row) => row.api_key },
    ]),
  );
}

async function switchProfile(context: CommandContext, args: unknown[]): Promise<void> {
  const name = String(args[0]);
  await useProfile(context.io.environment, name);
  context.printJson({ current_profile: name });
  context.print(`Profile '${name}' is now current.`);
}

/** `kimi login`, `kimi logout`, `kimi profiles list|use`. */
export function registerLoginCommands(program: Command, bind: ActionBinder): void {
  program
    .command('login')
    .description(
      'Check an API key against the platform and save it as a profile (file mode 0600). ' +
        'The key comes from --api-key, else KIMI_API_KEY, else stdin (piped, or typed at a hidden prompt).',
    )
    .action(bind(login));
  program
    .command('logout')
    .description('Remove the profile (the current one unless --profile).')
    .action(bind(logout));
  const profiles = program.command('profiles').description('Saved profiles.');
  profiles
    .command('list', { isDefault: true })
    .description('List profiles (keys masked).')
    .action(bind(listProfiles));
  profiles
    .command('use')
    .argument('<name>')
    .description('Make a profile current.')
    .action(bind(switchProfile));
}
