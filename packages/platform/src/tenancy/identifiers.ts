import { createHash, randomFillSync } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time: every request id takes some, and one system
 * call per request showed in profiles of the request path. The bytes are as random either way;
 * each is handed out once.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] ?? 0;
}

/** Uniform base62 text from the CSPRNG (rejection sampling, so no character is favoured). */
export function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    const byte = nextRandomByte();
    if (byte < 248) text += alphabet[byte % 62];
  }
  return text;
}

export function newOrganizationId(): string {
  return `org_${randomBase62(20)}`;
}

export function newApiKeyId(): string {
  return `key_${randomBase62(20)}`;
}

export const apiKeySecretPrefix = 'sk-kimi-';

/** A new API key secret: 40 base62 characters (≈238 bits) behind a recognisable prefix. */
export function newApiKeySecret(): string {
  return `${apiKeySecretPrefix}${randomBase62(40)}`;
}

/**
 * Secrets are high-entropy random strings, so one SHA-256 is enough to store them safely; a slow
 * password hash would only add latency to every cache miss.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** What lists and logs show of a key: enough to recognise it, never enough to use it. */
export function displayPrefixOf(secret: string): string {
  return `${secret.slice(0, apiKeySecretPrefix.length + 4)}…`;
}
