import { CliError } from './cli-error.ts';
import { exitCodes } from './exit-codes.ts';
import type { ClientFactory, KimiClient } from './kimi-client.ts';
import { type Credentials, resolveCredentials } from './profile-store.ts';

/** A stream the CLI writes to: stdout and stderr, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches outside itself, injected so the program runs the same in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  environment: NodeJS.ProcessEnv;
  createClient: ClientFactory;
}

/** The options every command takes (declared on the program, read with `optsWithGlobals`). */
export interface GlobalOptions {
  profile?: string;
  baseUrl?: string;
  apiKey?: string;
  json?: boolean;
  timeout?: number;
}

/** What a command's action works with: output helpers and the client, made on first use. */
export class CommandContext {
  readonly json: boolean;
  #client: KimiClient | null = null;
  #credentials: Credentials | null = null;
  /** The exit code the command asks for when it ends without throwing (e.g. a failed check). */
  exitCode: number = exitCodes.ok;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {
    this.json = options.json === true;
  }

  /** Human-readable text on stdout; nothing in `--json` mode, where stdout is JSON only. */
  print(text: string): void {
    if (!this.json) this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Text on stdout whatever the mode (streamed tokens, which `--json` mode does not print). */
  write(text: string): void {
    this.io.stdout.write(text);
  }

  /** One JSON document on stdout (in `--json` mode; otherwise nothing). */
  printJson(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON value on a line (NDJSON), for streamed output in `--json` mode. */
  printJsonLine(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Notes for people (progress, confirmations) on stderr, never mixed into stdout. */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  get stdoutIsTerminal(): boolean {
    return this.io.stdout.isTTY === true;
  }

  get stderrIsTerminal(): boolean {
    return this.io.stderr.isTTY === true;
  }

  async credentials(): Promise<Credentials> {
    this.#credentials ??= await resolveCredentials(this.io.environment, this.options);
    return this.#credentials;
  }

  /** The SDK client for the resolved profile; exit 3 when no key is known. */
  async client(): Promise<KimiClient> {
    if (this.#client) return this.#client;
    const credentials = await this.credentials();
    if (!credentials.apiKey) {
      throw new CliError(
        'API_KEY_MISSING',
        `No API key for profile '${credentials.profileName}'.`,
        exitCodes.authentication,
        "Run 'kimi login --api-key KEY', or set KIMI_API_KEY.",
      );
    }
    this.#client = this.io.createClient({
      apiKey: credentials.apiKey,
      baseUrl: credentials.baseUrl,
      ...(this.options.timeout ? { timeoutMs: this.options.timeout } : {}),
    });
    return this.#client;
  }

  /** The organisation admin commands act in: `--organization`, else the caller's own. */
  async organizationId(explicit: string | undefined): Promise<string> {
    if (explicit) return explicit;
    const me = await (await this.client()).me();
    if (!me.organization_id) {
      throw new CliError(
        'ORGANIZATION_REQUIRED',
        'This key belongs to no organisation.',
        exitCodes.usage,
        "Name one with '--organization ID'.",
      );
    }
    return me.organization_id;
  }
}
