import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock } from '../../support/index.ts';

const pendingSignInSchema = z.object({
  organizationId: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  redirectUri: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  browserBindingHash: z.string(),
  returnTo: z.string().nullable(),
  startedAt: z.number(),
  expiresAt: z.number(),
});

/** A sign-in between its start and the provider's callback: what only the server may know. */
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;

/**
 * Started sign-ins, kept server-side in the key-value port (in process, or Redis shared by every
 * replica) under the hash of their `state`, each readable once and only until it expires.
 */
export interface PendingSignIns {
  save(state: string, pending: PendingSignIn): Promise<void>;
  /** The sign-in `state` started, removed as it is read; null when unknown, used or expired. */
  consume(state: string): Promise<PendingSignIn | null>;
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function createPendingSignIns(keyValueStore: KeyValueStore, clock: Clock): PendingSignIns {
  const keyOf = (state: string) => `sso:sign-in:${sha256Text(state)}`;
  return {
    async save(state, pending) {
      const stored = await keyValueStore.setIfAbsent(keyOf(state), JSON.stringify(pending), {
        ttlMs: Math.max(1, pending.expiresAt - clock.now()),
      });
      if (!stored) throw new Error('A sign-in with this state already exists.');
    },
    async consume(state) {
      const key = keyOf(state);
      const value = await keyValueStore.get(key);
      if (value === null) return null;
      // why: of two callbacks racing with one state, only the one whose delete succeeds proceeds.
      if (!(await keyValueStore.compareAndDelete(key, value))) return null;
      const parsed = pendingSignInSchema.safeParse(JSON.parse(value));
      if (!parsed.success || parsed.data.expiresAt <= clock.now()) return null;
      return parsed.data;
    },
  };
}
