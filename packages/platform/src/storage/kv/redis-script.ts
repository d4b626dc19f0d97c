import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script run atomically by Redis, cached server-side by its SHA-1. */
export interface RedisScript {
  source: string;
  sha1: string;
}

/** Prepares a Lua script for {@link runRedisScript}. */
export function defineRedisScript(source: string): RedisScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs a script by its hash, sending the source only when Redis does not know it yet (after a
 * restart or SCRIPT FLUSH), so the common case sends a few bytes.
 */
export async function runRedisScript(
  client: Redis,
  script: RedisScript,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha1, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}
