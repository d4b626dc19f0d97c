import { errors } from '../errors/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../storage/pubsub/index.ts';
import type { Clock } from '../support/index.ts';
import { createChangePoller } from '../support/index.ts';
import { apiKeysChangedSince, findApiKeyByHash } from './api-key-repository.ts';
import { hashApiKeySecret } from './identifiers.ts';
import { createKeyUseRecorder } from './key-use-recorder.ts';
import { type AuthContext, readStoredRateLimits } from './roles.ts';

export const apiKeyChangedChannel = 'tenancy.api-key-changed';

type CacheEntry =
  | { state: 'valid'; context: AuthContext }
  | { state: 'revoked' }
  | { state: 'organization-disabled' }
  | { state: 'sso-required'; organizationId: string }
  | { state: 'unknown'; until: number };

export interface KeyAuthenticatorOptions {
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  maxEntries: number;
  /** How often to poll for changed keys: the bound on revocation delay when pub/sub can't reach us. */
  pollIntervalMs: number;
  onPollError?: (error: unknown) => void;
  /** How often the keys' `last_used_at` is written (one statement for every key used). */
  lastUsedFlushMs?: number;
  onLastUsedError?: (error: unknown) => void;
}

export interface KeyAuthenticator {
  /** Resolves the caller of a secret, from cache when possible; throws a 401/403 PlatformError. */
  authenticate(secret: string): Promise<AuthContext>;
  /** Tells every instance (and this one) to forget a key, e.g. after revocation. */
  announceChange(secretHashes: readonly string[]): Promise<void>;
  /** Subscribes to invalidations and starts polling. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Writes the pending `last_used_at` times now (they are otherwise written every `lastUsedFlushMs`). */
  flushLastUsed(): Promise<void>;
  /** Entries in the cache (for metrics and tests). */
  size(): number;
}

function earliest(first: Date | null, second: Date | null): number | null {
  if (first === null) return second?.getTime() ?? null;
  if (second === null) return first.getTime();
  return Math.min(first.getTime(), second.getTime());
}

/** Unknown secrets are remembered briefly so a flood of bad keys cannot hammer the database. */
const unknownKeyMemoryMs = 5000;

/**
 * Authenticates API keys with no database read on the hot path. Invalidation arrives two ways:
 * the events port (immediate, across replicas when Redis is configured) and a poll of
 * recently changed keys (within `pollIntervalMs`, even across processes without Redis).
 */
export function createKeyAuthenticator(options: KeyAuthenticatorOptions): KeyAuthenticator {
  const cache = new Map<string, CacheEntry>();
  const loading = new Map<string, Promise<CacheEntry>>();
  let unsubscribe: Unsubscribe | undefined;
  const uses = createKeyUseRecorder({
    database: options.database,
    clock: options.clock,
    flushIntervalMs: options.lastUsedFlushMs ?? 30_000,
    ...(options.onLastUsedError ? { onError: options.onLastUsedError } : {}),
  });
  const poller = createChangePoller({
    clock: options.clock,
    intervalMs: options.pollIntervalMs,
    async changedSince(since) {
      const { changes, databaseNow } = await apiKeysChangedSince(options.database, since);
      return { changed: changes.map((change) => change.secretHash), databaseNow };
    },
    onChange: (hash) => cache.delete(hash),
    ...(options.onPollError ? { onError: options.onPollError } : {}),
  });

  const remember = (hash: string, entry: CacheEntry) => {
    if (cache.size >= options.maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(hash, entry);
  };

  async function load(hash: string): Promise<CacheEntry> {
    const key = await findApiKeyByHash(options.database, hash);
    let entry: CacheEntry;
    if (!key) entry = { state: 'unknown', until: options.clock.now() + unknownKeyMemoryMs };
    else if (key.organizationDisabledAt) entry = { state: 'organization-disabled' };
    else if (key.revokedAt) entry = { state: 'revoked' };
    // why: a person's key acts with their membership's role, and stops when they leave.
    else if (key.userId !== null && key.membershipRole === null) entry = { state: 'revoked' };
    // why: an organisation that requires SSO lets its people in only through its identity
    // provider; keys that belong to no person (services, CI) keep working.
    else if (key.userId !== null && key.organizationRequiresSso)
      entry = { state: 'sso-required', organizationId: key.organizationId };
    else
      entry = {
        state: 'valid',
        context: {
          organizationId: key.organizationId,
          principal: 'api_key',
          apiKeyId: key.id,
          keyName: key.name,
          role: key.userId !== null && key.membershipRole !== null ? key.membershipRole : key.role,
          scopes: key.scopes,
          userId: key.userId,
          teamId: key.teamId,
          allowedModels: key.allowedModels,
          // why: a rotated-out secret works until its grace period ends, as an expiry would.
          expiresAt: earliest(key.expiresAt, key.retiredSecretValidUntil),
          plan: key.organizationPlan,
          organizationRateLimits: readStoredRateLimits(key.organizationRateLimits),
          keyRateLimits: readStoredRateLimits(key.keyRateLimits),
          teamRateLimits: readStoredRateLimits(key.teamRateLimits),
        },
      };
    remember(hash, entry);
    return entry;
  }

  function lookup(hash: string): Promise<CacheEntry> | CacheEntry {
    const cached = cache.get(hash);
    if (cached && !(cached.state === 'unknown' && cached.until <= options.clock.now())) return cached;
    let pending = loading.get(hash);
    if (!pending) {
      pending = load(hash).finally(() => loading.delete(hash));
      loading.set(hash, pending);
    }
    return pending;
  }

  function verdict(entry: CacheEntry): AuthContext {
    switch (entry.state) {
      case 'unknown':
        throw errors.apiKeyInvalid();
      case 'revoked':
        throw errors.apiKeyRevoked();
      case 'organization-disabled':
        throw errors.organizationDisabled();
      case 'sso-required':
        throw errors.singleSignOnRequired(entry.organizationId);
      case 'valid': {
        const { expiresAt } = entry.context;
        if (expiresAt !== null && expiresAt <= options.clock.now())
          throw errors.apiKeyExpired(new Date(expiresAt));
        uses.touch(entry.context.apiKeyId);
        return entry.context;
      }
    }
  }

  return {
    async authenticate(secret) {
      const hash = hashApiKeySecret(secret);
      const found = lookup(hash);
      return verdict(found instanceof Promise ? await found : found);
    },
    async announceChange(secretHashes) {
      for (const hash of secretHashes) {
        cache.delete(hash);
        await options.eventBus.publish(apiKeyChangedChannel, hash);
      }
    },
    async start() {
      unsubscribe = await options.eventBus.subscribe(apiKeyChangedChannel, (hash) => {
        cache.delete(hash);
      });
      await poller.start();
      uses.start();
    },
    async close() {
      poller.stop();
      await unsubscribe?.();
      await uses.close();
    },
    flushLastUsed: () => uses.flush(),
    size: () => cache.size,
  };
}
