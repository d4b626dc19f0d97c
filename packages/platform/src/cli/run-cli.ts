import { parseArgs } from 'node:util';
import { migrate } from './migrate.ts';
import { serve } from './serve.ts';
import { worker } from './worker.ts';

const usage = `Usage: kimi-platform [command] [options]

Commands:
  serve (default)    Start the platform
  migrate            Apply database migrations and bootstrap an empty store, then exit
  worker             Execute agent swarm runs from the queue (needs REDIS_URL and DATABASE_URL)

Options:
  --port <n>         Port to listen on (default: $PORT or 8080)
  --workers <n>      Run n processes on one port (needs DATABASE_URL)
  -h, --help         Show this help

Environment variables and kimi.config.yaml are documented in the README.`;

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
  return parsed;
}

/** Parses argv and runs a command. A usage error exits with code 2 and a message, never a stack. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(usage);
      return;
    }
    const command = positionals[0] ?? 'serve';
    const port = positiveInteger('port', values.port);
    const workers = positiveInteger('workers', values.workers);
    if (command === 'serve')
      await serve({ ...(port === undefined ? {} : { port }), ...(workers ? { workers } : {}) });
    else if (command === 'migrate') await migrate();
    else if (command === 'worker') await worker();
    else throw new Error(`Unknown command '${command}'.\n\n${usage}`);
  } catch (error) {
    console.error(`kimi-platform: ${(error as Error).message}`);
    process.exit(2);
  }
}
