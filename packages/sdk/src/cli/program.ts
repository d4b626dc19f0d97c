import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { type ActionBinder, type Handler, positiveInteger, type RunState } from './command-kit.ts';
import {
  registerAuditCommands,
  registerChatCommand,
  registerKeyCommands,
  registerKnowledgeBaseCommands,
  registerLoginCommands,
  registerModelCommands,
  registerSwarmCommands,
  registerUsageCommand,
} from './commands/index.ts';
import { type CliIo, CommandContext, type GlobalOptions } from './context.ts';

/** The package's version, as `kimi --version` prints it. */
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The `kimi` program: every command, option and help text, writing only to the injected streams. */
export function createProgram(io: CliIo, state: RunState): Command {
  const program = new Command('kimi')
    .description('Command-line client for the Kimi Platform.')
    .version(version, '-V, --version')
    .addOption(new Option('-p, --profile <name>', 'profile to use (default: the current one)'))
    .addOption(new Option('--base-url <url>', 'platform address (overrides KIMI_BASE_URL and the profile)'))
    .addOption(new Option('--api-key <key>', 'API key (overrides KIMI_API_KEY and the profile)'))
    .addOption(new Option('--timeout <ms>', 'timeout per request in milliseconds').argParser(positiveInteger))
    .option('--json', 'print machine-readable JSON only on stdout')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // why: errors are printed once, coded, by the caller (`error USAGE_ERROR: …`).
      outputError: () => {},
    })
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 ok, 1 unknown, 2 usage, 3 authentication, 4 validation, 5 resources,',
        '6 limits, 7 provider, 8 network, 9 server, 10 a failed check (audit verify).',
        'Credentials: --api-key/--base-url, else KIMI_API_KEY/KIMI_BASE_URL, else the profile',
        'saved by `kimi login` in $KIMI_CONFIG_DIR (default ~/.config/kimi/config.json).',
      ].join('\n'),
    );

  const bind: ActionBinder =
    <Options>(handler: Handler<Options>) =>
    async (...raw: unknown[]) => {
      const command = raw[raw.length - 1] as Command;
      const options = raw[raw.length - 2] as Options;
      const context = new CommandContext(io, command.optsWithGlobals<GlobalOptions>());
      state.context = context;
      await handler(context, raw.slice(0, -2), options);
    };

  registerLoginCommands(program, bind);
  registerModelCommands(program, bind);
  registerChatCommand(program, bind);
  registerSwarmCommands(program, bind);
  registerKnowledgeBaseCommands(program, bind);
  registerKeyCommands(program, bind);
  registerUsageCommand(program, bind);
  registerAuditCommands(program, bind);
  return program;
}
