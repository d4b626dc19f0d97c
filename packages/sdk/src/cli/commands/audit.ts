import type { Command } from 'commander';
import type { ActionBinder } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';

async function verifyAudit(context: CommandContext): Promise<void> {
  const result = await (await context.client()).audit.verify();
  context.printJson(result);
  if (result.valid) {
    context.print(`audit log intact: ${result.entries} entries verified`);
    return;
  }
  context.print(
    `audit log BROKEN at entry ${JSON.stringify(result.first_broken)} (${result.entries} entries checked)`,
  );
  context.exitCode = exitCodes.checkFailed;
}

/** `kimi audit verify`: exits 10 when a chain is broken. */
export function registerAuditCommands(program: Command, bind: ActionBinder): void {
  const audit = program.command('audit').description("The organisation's hash-chained audit log.");
  audit
    .command('verify')
    .description('Verify every chain the key may see; exit 10 when one is broken.')
    .action(bind(verifyAudit));
}
