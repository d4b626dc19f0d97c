import { createHash, hkdfSync } from 'node:crypto';

/** A key that signs or checks session tokens, with the id a token names it by. */
export interface SessionSigningKey {
  id: string;
  secret: Uint8Array;
}

/** The keys of the session machinery; the first of each list signs, every one verifies. */
export interface SessionKeys {
  accessTokenKeys: readonly SessionSigningKey[];
  csrfKeys: readonly SessionSigningKey[];
}

const salt = 'kimi-platform/sessions';

function derive(masterKey: Uint8Array, purpose: string): SessionSigningKey {
  const secret = new Uint8Array(hkdfSync('sha256', masterKey, salt, purpose, 32));
  return { id: createHash('sha256').update(secret).digest('hex').slice(0, 12), secret };
}

/**
 * The session keys, derived with HKDF-SHA256 from the platform master key (KIMI_MASTER_KEY), one
 * per purpose, so there is no second secret to manage and a derived key reveals nothing of the
 * master key or of the other purpose. Pass previous master keys after the current one while
 * rotating it: tokens they signed keep verifying until they expire.
 */
export function deriveSessionKeys(masterKeys: readonly Uint8Array[]): SessionKeys {
  if (masterKeys.length === 0) throw new Error('Sessions need the master key (KIMI_MASTER_KEY).');
  for (const key of masterKeys) {
    if (key.byteLength < 32) throw new Error('A master key must be at least 32 bytes.');
  }
  return {
    accessTokenKeys: masterKeys.map((key) => derive(key, 'session-access-token/v1')),
    csrfKeys: masterKeys.map((key) => derive(key, 'session-csrf-token/v1')),
  };
}
