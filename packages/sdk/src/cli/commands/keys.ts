import type { Command } from 'commander';
import { type ActionBinder, nonNegativeNumber } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import { type ApiKeyAnswer, itemsOf } from '../kimi-client.ts';
import { formatTime, renderFields, renderTable } from '../output/index.ts';

interface OrganizationOption {
  organization?: string;
}

function printSecret(context: CommandContext, key: ApiKeyAnswer): void {
  context.print(
    renderFields([
      ['id', key.id],
      ['name', key.name],
      ['role', key.role],
      ['prefix', key.display_prefix],
      ['expires', formatTime(key.expires_at)],
      ...(key.previous_secret_valid_until
        ? ([['old secret valid until', formatTime(key.previous_secret_valid_until)]] as const)
        : []),
    ]),
  );
  context.print(`\nsecret: ${key.secret ?? '-'}\nThis secret is shown once. Store it now.`);
}

async function listKeys(
  context: CommandContext,
  _args: unknown[],
  options: OrganizationOption & { all?: boolean },
): Promise<void> {
  const client = await context.client();
  const organizationId = await context.organizationId(options.organization);
  const list = await client.admin.keys.list(organizationId, options.all ? { include_revoked: true } : {});
  context.printJson(list);
  context.print(
    renderTable(itemsOf(list), [
      { header: 'id', value: (key) => key.id },
      { header: 'name', value: (key) => key.name },
      { header: 'role', value: (key) => key.role },
      { header: 'prefix', value: (key) => key.display_prefix },
      { header: 'last used', value: (key) => formatTime(key.last_used_at) },
      { header: 'expires', value: (key) => formatTime(key.expires_at) },
      { header: 'revoked', value: (key) => formatTime(key.revoked_at) },
    ]),
  );
}

async function createKey(
  context: CommandContext,
  _args: unknown[],
  options: OrganizationOption & { name: string; role?: string; scope?: string[]; expiresAt?: string },
): Promise<void> {
  const client = await context.client();
  const organizationId = await context.organizationId(options.organization);
  const key = await client.admin.keys.create(organizationId, {
    name: options.name,
    ...(options.role ? { role: options.role } : {}),
    ...(options.scope?.length ? { scopes: options.scope } : {}),
    ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
  });
  context.printJson(key);
  printSecret(context, key);
}

async function revokeKey(
  context: CommandContext,
  args: unknown[],
  options: OrganizationOption,
): Promise<void> {
  const client = await context.client();
  const organizationId = await context.organizationId(options.organization);
  const keyId = String(args[0]);
  const answer = await client.admin.keys.revoke(organizationId, keyId);
  context.printJson(answer ?? { id: keyId, revoked: true });
  context.print(`key ${keyId} revoked`);
}

async function rotateKey(
  context: CommandContext,
  args: unknown[],
  options: OrganizationOption & { gracePeriod?: number },
): Promise<void> {
  const client = await context.client();
  const organizationId = await context.organizationId(options.organization);
  const key = await client.admin.keys.rotate(
    organizationId,
    String(args[0]),
    options.gracePeriod === undefined ? {} : { grace_period_seconds: options.gracePeriod },
  );
  context.printJson(key);
  printSecret(context, key);
}

/** `kimi keys list|create|revoke|rotate` in the caller's organisation (or `--organization`). */
export function registerKeyCommands(program: Command, bind: ActionBinder): void {
  const keys = program.command('keys').description("API keys of the organisation (needs 'admin:keys').");
  const organization = ['--organization <id>', "organisation (default: the key's own)"] as const;
  keys
    .command('list')
    .description('List keys (never their secrets).')
    .option(...organization)
    .option('--all', 'include revoked keys')
    .action(bind(listKeys));
  keys
    .command('create')
    .description('Create a key; its secret is printed once.')
    .requiredOption('-n, --name <name>', 'what the key is for')
    .option('-r, --role <role>', 'owner, admin, developer (default), viewer or billing')
    .option('--scope <permission...>', 'limit the key to these permissions (e.g. models:invoke)')
    .option('--expires-at <time>', 'ISO time after which the key stops working')
    .option(...organization)
    .action(bind(createKey));
  keys
    .command('revoke')
    .argument('<key-id>')
    .description('Revoke a key.')
    .option(...organization)
    .action(bind(revokeKey));
  keys
    .command('rotate')
    .argument('<key-id>')
    .description('Give a key a new secret (printed once); the old one works for the grace period.')
    .option(
      '--grace-period <seconds>',
      'how long the old secret keeps working (default 86400)',
      nonNegativeNumber,
    )
    .option(...organization)
    .action(bind(rotateKey));
}
