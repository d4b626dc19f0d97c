import type { KeyValueStore } from '../../storage/kv/index.ts';

/**
 * Revoked session ids, remembered in the key-value port for as long as an access token of theirs
 * may still be unexpired, so signing out takes effect at once: on every replica with Redis, in this
 * process otherwise (other processes then within one access-token lifetime).
 */
export interface SessionRevocations {
  markRevoked(sessionIds: readonly string[]): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export function createSessionRevocations(
  keyValueStore: KeyValueStore,
  accessTokenTtlMs: number,
): SessionRevocations {
  const keyOf = (sessionId: string) => `session:revoked:${sessionId}`;
  return {
    async markRevoked(sessionIds) {
      await Promise.all(
        sessionIds.map((sessionId) =>
          keyValueStore.set(keyOf(sessionId), '1', { ttlMs: accessTokenTtlMs + 60_000 }),
        ),
      );
    },
    async isRevoked(sessionId) {
      return (await keyValueStore.get(keyOf(sessionId))) !== null;
    },
  };
}
