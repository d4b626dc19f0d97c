import { type Command, Option } from 'commander';
import { usageError } from '../cli-error.ts';
import { type ActionBinder, nonNegativeNumber, positiveInteger } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import type { ChatMessage, ChatRequest } from '../kimi-client.ts';
import { readAll } from '../read-input.ts';

interface ChatOptions {
  model: string;
  system?: string;
  stream: boolean;
  maxTokens?: number;
  temperature?: number;
}

async function promptOf(context: CommandContext, words: string[]): Promise<string> {
  if (words.length > 0) return words.join(' ');
  if (context.io.stdin.isTTY) {
    throw usageError('No prompt given.', "Pass it as an argument (kimi chat 'Hello') or on stdin.");
  }
  const text = (await readAll(context.io.stdin)).trim();
  if (text === '') throw usageError('The prompt on stdin is empty.');
  return text;
}

async function chat(context: CommandContext, args: unknown[], options: ChatOptions): Promise<void> {
  const prompt = await promptOf(context, (args[0] as string[] | undefined) ?? []);
  const messages: ChatMessage[] = [];
  if (options.system) messages.push({ role: 'system', content: options.system });
  messages.push({ role: 'user', content: prompt });
  const request: ChatRequest = {
    model: options.model,
    messages,
    ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
  const client = await context.client();
  if (!options.stream) {
    const completion = await client.chat.create(request);
    context.printJson(completion);
    context.print(completion.choices[0]?.message.content ?? '');
    return;
  }
  // Streamed: tokens are written as they arrive; `--json` prints each chunk as one JSON line.
  let endsWithNewline = true;
  for await (const chunk of client.chat.stream(request)) {
    if (context.json) {
      context.printJsonLine(chunk);
      continue;
    }
    const text = chunk.choices[0]?.delta.content ?? '';
    if (text === '') continue;
    context.write(text);
    endsWithNewline = text.endsWith('\n');
  }
  if (!context.json && !endsWithNewline) context.write('\n');
}

/** `kimi chat PROMPT…`: one user turn (and an optional system prompt), streamed to the terminal. */
export function registerChatCommand(program: Command, bind: ActionBinder): void {
  program
    .command('chat')
    .description('Send one prompt (arguments, or stdin) and stream the answer as it arrives.')
    .argument('[prompt...]', 'the prompt; read from stdin when absent')
    .addOption(new Option('-m, --model <model>', 'model, alias or group').default('auto').env('KIMI_MODEL'))
    .option('-s, --system <text>', 'a system prompt')
    .option('--no-stream', 'wait for the whole answer instead of streaming it')
    .option('--max-tokens <n>', 'most tokens to generate', positiveInteger)
    .option('--temperature <t>', 'sampling temperature (0–2)', nonNegativeNumber)
    .action(bind(chat));
}
