import { connect } from 'node:net';
import { onCleanup } from './cleanup.ts';
import { assertLoopbackUrl } from './loopback-check.ts';

/** Sends RESP commands on one connection and resolves when each got its `+OK`. */
function sendCommands(url: URL, commands: string[][]): Promise<void> {
  const encoded = commands
    .map(
      (words) =>
        `*${words.length}\r\n${words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')}`,
    )
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) });
    let answered = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`Redis at ${url.host} did not answer`)));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      answered += chunk.toString();
      if (answered.startsWith('-')) socket.destroy(new Error(`Redis refused: ${answered.trim()}`));
      else if (answered.split('+OK\r\n').length > commands.length) {
        socket.end();
        resolve();
      }
    });
    socket.write(encoded);
  });
}

/**
 * Runs `use` with a Redis database the benchmark may empty: `url` must be on loopback and name a
 * database index other than 0 (e.g. `redis://127.0.0.1:6379/15`), which is flushed before and after.
 */
export async function withScratchRedis<Result>(
  url: string,
  use: (redisUrl: string) => Promise<Result>,
): Promise<Result> {
  const parsed = new URL(url);
  assertLoopbackUrl('BENCH_REDIS_URL', parsed);
  const index = parsed.pathname.replace('/', '');
  if (!/^[1-9][0-9]*$/.test(index)) {
    throw new Error(
      `BENCH_REDIS_URL must name a database index other than 0 that the benchmark may empty, e.g. redis://127.0.0.1:6379/15 (got "${parsed.pathname}")`,
    );
  }
  const flush = () => sendCommands(parsed, [['SELECT', index], ['FLUSHDB']]);
  await flush();
  const forget = onCleanup({ later: flush });
  try {
    return await use(parsed.toString());
  } finally {
    forget();
    await flush();
  }
}
