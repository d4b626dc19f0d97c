import type { HostResolver } from '../../agents/tools/index.ts';
import { createGuardedHttpClient, createNetworkAllowlist, emptyAllowlist } from '../../agents/tools/index.ts';
import type { ConfigFile } from '../../config/index.ts';
import type { AuditLog } from '../../identity/audit/index.ts';
import { createSessionMembershipDirectory, createSignInDirectory } from '../../identity/index.ts';
import {
  createSessionService,
  deriveSessionKeys,
  type SessionService,
} from '../../identity/sessions/index.ts';
import {
  createBearerTokenVerifier,
  createCachedConnectionSource,
  createIdentityProviders,
  createOidcRelyingParty,
  createSqlSsoConnectionSource,
  type ProviderFetch,
  type SsoConnectionSource,
} from '../../identity/sso/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock, SecretBox } from '../../support/index.ts';
import type { AuthenticationGuard } from '../../tenancy/index.ts';
import { createOrganizationAccessCache } from './organization-access-cache.ts';
import { createSignInServices, type SignInServices } from './sign-in-services.ts';
import { createSsoConnectionServices, type SsoConnectionServices } from './sso-connection-services.ts';

export interface SignInComposition {
  signIn: SignInServices;
  ssoConnections: SsoConnectionServices;
  /** Null without a master key (no one can have a session then). */
  sessions: SessionService | null;
  close(): Promise<void>;
}

export interface SignInCompositionOptions {
  config: ConfigFile;
  database: Database;
  keyValueStore: KeyValueStore;
  clock: Clock;
  audit: AuditLog;
  secretBox: SecretBox | null;
  masterKey: Uint8Array | null;
  resolveHost: HostResolver;
  /** Replaces the guarded fetch for calls to identity providers (tests watch or alter answers). */
  identityProviderFetch?: ProviderFetch;
  /** Told the secret hashes of personal keys whose role a sign-in changed. */
  onMemberKeysChanged(secretHashes: readonly string[]): Promise<void>;
  /** The failed-authentication counter API keys use, shared with sign-in callbacks. */
  guard: Pick<AuthenticationGuard, 'check' | 'recordFailure'>;
  onAuditError(error: unknown): void;
}

/** A connection source that knows no connection: without a master key none can be stored or opened. */
const noConnections: SsoConnectionSource = {
  find: async () => null,
  findByIssuer: async () => [],
};

/**
 * Wires single sign-on: the identity providers behind a fetch that refuses private networks
 * (loopback too, unless `sso.allow_loopback_issuers`), the connections (cached), the relying
 * party, the directory, sessions keyed from the master key, and bearer-token checks.
 */
export function composeSignIn(options: SignInCompositionOptions): SignInComposition {
  const { config, clock, audit } = options;
  // why platform scope: signing in, refreshing, and checking a session or a workload token all
  // start from a credential (state, cookie, token, issuer) that names its organisation only once
  // it is read; the SSO settings themselves are changed in the organisation's scope.
  const database = options.database.forPlatform('sign-in and sessions');
  const settings = config.sso;
  const transport = createGuardedHttpClient({
    allowlist: settings.allow_loopback_issuers
      ? createNetworkAllowlist(['127.0.0.0/8', '::1', 'localhost'])
      : emptyAllowlist,
    resolveHost: options.resolveHost,
    maxRedirects: 0,
  });
  const providers = createIdentityProviders({
    fetch: options.identityProviderFetch ?? ((input, init) => transport.fetch(input, init)),
    clock,
    settings,
  });
  const connections = createCachedConnectionSource(
    options.secretBox ? createSqlSsoConnectionSource(database, options.secretBox) : noConnections,
    clock,
    settings.connection_cache_ttl_ms,
  );
  const relyingParty = createOidcRelyingParty({
    providers,
    connections,
    directory: createSignInDirectory({
      database,
      clock,
      audit,
      onMemberKeysChanged: options.onMemberKeysChanged,
    }),
    keyValueStore: options.keyValueStore,
    clock,
    settings,
  });
  const keys = options.masterKey ? deriveSessionKeys([options.masterKey]) : null;
  const sessions = keys
    ? createSessionService({
        database,
        keyValueStore: options.keyValueStore,
        clock,
        keys,
        memberships: createSessionMembershipDirectory(database),
        settings: config.sessions,
        audit,
      })
    : null;
  const bearerTokens = options.secretBox
    ? createBearerTokenVerifier({
        providers,
        connections,
        clock,
        clockSkewSeconds: settings.clock_skew_seconds,
      })
    : null;
  const organizations = createOrganizationAccessCache(database, clock, settings.connection_cache_ttl_ms);
  return {
    signIn: createSignInServices({
      database,
      audit,
      relyingParty,
      sessions,
      keys,
      bearerTokens,
      organizations,
      guard: options.guard,
      onAuditError: options.onAuditError,
    }),
    ssoConnections: createSsoConnectionServices({
      database: options.database,
      clock,
      audit,
      secretBox: options.secretBox,
      connections,
      allowLoopbackIssuers: () => settings.allow_loopback_issuers,
      onPeopleKeysChanged: options.onMemberKeysChanged,
    }),
    sessions,
    close: () => transport.close(),
  };
}
