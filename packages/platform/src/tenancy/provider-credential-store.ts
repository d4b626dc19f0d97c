import type { CallCredentials } from '../model/index.ts';
import type { Database } from '../storage/db/index.ts';
import type { EventBus, Unsubscribe } from '../storage/pubsub/index.ts';
import type { Clock, SecretBox } from '../support/index.ts';
import { createChangePoller } from '../support/index.ts';
import { loadProviderCredentials, providerKeysChangedSince } from './provider-key-repository.ts';

export const providerKeysChangedChannel = 'tenancy.provider-keys-changed';

export interface ProviderCredentialStore {
  /** The organisation's own credentials for a provider, or undefined to use the platform's. */
  credentialsFor(organizationId: string, provider: string): Promise<CallCredentials | undefined>;
  /** Tells every instance that an organisation's provider keys changed. */
  announceChange(organizationId: string): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Per-organisation provider keys, opened once and kept in memory (no database read per request;
 * organisations without keys are remembered too). Invalidated like API keys: events port + poll.
 */
export function createProviderCredentialStore(options: {
  database: Database;
  eventBus: EventBus;
  clock: Clock;
  /** Null when no master key is configured: then no organisation can have keys. */
  secretBox: SecretBox | null;
  pollIntervalMs: number;
  maxOrganizations: number;
  onPollError?: (error: unknown) => void;
}): ProviderCredentialStore {
  const cache = new Map<string, Map<string, CallCredentials>>();
  const loading = new Map<string, Promise<Map<string, CallCredentials>>>();
  let unsubscribe: Unsubscribe | undefined;
  const poller = createChangePoller({
    clock: options.clock,
    intervalMs: options.pollIntervalMs,
    changedSince: (since) => providerKeysChangedSince(options.database, since),
    onChange: (organizationId) => cache.delete(organizationId),
    ...(options.onPollError ? { onError: options.onPollError } : {}),
  });

  async function load(organizationId: string): Promise<Map<string, CallCredentials>> {
    const secretBox = options.secretBox;
    const credentials = secretBox
      ? await loadProviderCredentials(options.database, secretBox, organizationId)
      : new Map<string, CallCredentials>();
    if (cache.size >= options.maxOrganizations) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(organizationId, credentials);
    return credentials;
  }

  return {
    async credentialsFor(organizationId, provider) {
      let credentials = cache.get(organizationId);
      if (!credentials) {
        let pending = loading.get(organizationId);
        if (!pending) {
          pending = load(organizationId).finally(() => loading.delete(organizationId));
          loading.set(organizationId, pending);
        }
        credentials = await pending;
      }
      return credentials.get(provider);
    },
    async announceChange(organizationId) {
      cache.delete(organizationId);
      await options.eventBus.publish(providerKeysChangedChannel, organizationId);
    },
    async start() {
      unsubscribe = await options.eventBus.subscribe(providerKeysChangedChannel, (organizationId) => {
        cache.delete(organizationId);
      });
      await poller.start();
    },
    async close() {
      poller.stop();
      await unsubscribe?.();
    },
  };
}
