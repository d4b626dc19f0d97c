import { randomBytes } from 'node:crypto';

/** Cryptographically secure random bytes, injected so tests can count or pin what was drawn. */
export type RandomBytes = (size: number) => Uint8Array;

export const systemRandomBytes: RandomBytes = (size) => randomBytes(size);

/** `size` random bytes as unpadded base64url text (32 bytes give 43 characters, 256 bits). */
export function randomUrlSafeText(random: RandomBytes, size = 32): string {
  return Buffer.from(random(size)).toString('base64url');
}
