import { createInterface } from 'node:readline';
import type { CliIo } from './context.ts';

/** Everything on stdin as text (for piped prompts and keys). */
export async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stdin) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * A secret from stdin: piped (first line), or typed at a prompt on a terminal without echo.
 * Null when stdin has nothing.
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string | null> {
  if (!io.stdin.isTTY) {
    const text = (await readAll(io.stdin)).split(/\r?\n/)[0]?.trim() ?? '';
    return text === '' ? null : text;
  }
  io.stderr.write(prompt);
  const answer = await new Promise<string>((resolve) => {
    const readline = createInterface({ input: io.stdin, terminal: true });
    // why: the key is typed blind; readline echoes through _writeToOutput, which we silence.
    (readline as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
    readline.question('', (line) => {
      readline.close();
      resolve(line);
    });
  });
  io.stderr.write('\n');
  return answer.trim() === '' ? null : answer.trim();
}
