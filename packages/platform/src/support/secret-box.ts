import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const version = 'v1';

/**
 * Encrypts secrets at rest with AES-256-GCM under a 32-byte master key. Each value carries its own
 * random IV, the GCM tag, and the id of the master key that sealed it; the associated data binds a
 * value to where it belongs (e.g. organisation + provider), so a row copied elsewhere won't open.
 */
export interface SecretBox {
  /** A short fingerprint of the master key, stored with each value to detect a wrong key. */
  readonly keyId: string;
  seal(plaintext: string, associatedData: string): string;
  /** Throws when the value was sealed under another key, or altered, or moved. */
  open(sealed: string, associatedData: string): string;
}

/** Accepts 32 bytes as 64 hex characters or as base64 (44 characters). */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new Error(
      'The master key must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -hex 32`).',
    );
  }
  return key;
}

export function createSecretBox(masterKey: Buffer): SecretBox {
  const keyId = createHash('sha256').update(masterKey).digest('hex').slice(0, 8);
  return {
    keyId,
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        version,
        keyId,
        iv.toString('base64'),
        tag.toString('base64'),
        ciphertext.toString('base64'),
      ].join(':');
    },
    open(sealed, associatedData) {
      const [sealedVersion, sealedKeyId, iv, tag, ciphertext] = sealed.split(':');
      if (sealedVersion !== version || !iv || !tag || ciphertext === undefined)
        throw new Error('Unreadable sealed secret.');
      if (sealedKeyId !== keyId) {
        throw new Error(
          `The secret was sealed under master key ${sealedKeyId}, not the configured ${keyId}.`,
        );
      }
      const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
