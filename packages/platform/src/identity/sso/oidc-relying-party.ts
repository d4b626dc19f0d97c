import { createHash, timingSafeEqual } from 'node:crypto';
import type { KeyValueStore } from '../../storage/kv/index.ts';
import type { Clock } from '../../support/index.ts';
import type { RequestOrigin } from '../../tenancy/index.ts';
import { identityOf, type ProviderIdentity, roleForGroups } from './claims-mapping.ts';
import { idTokenAlgorithms, validateIdToken } from './id-token-validation.ts';
import type { IdentityProviders } from './identity-providers.ts';
import type { MembershipRole } from './membership-roles.ts';
import { createPendingSignIns, type PendingSignIn, sha256Text } from './pending-sign-ins.ts';
import { type RandomBytes, randomUrlSafeText, systemRandomBytes } from './secure-random.ts';
import type { SignInCallback } from './sign-in-callback-schema.ts';
import type { SignInDirectory, SsoConnectionSource } from './sign-in-ports.ts';
import type { SsoConnection } from './sso-connection-schema.ts';
import { ssoErrors } from './sso-errors.ts';
import type { SsoSettings } from './sso-settings-schema.ts';
import { idTokenError } from './token-errors.ts';
import { exchangeAuthorizationCode } from './token-exchange.ts';
import { TokenRejection } from './token-rejection.ts';

export interface StartedSignIn {
  /** Where to send the browser: the provider's authorization endpoint with this sign-in's parameters. */
  authorizationUrl: string;
  /**
   * A secret that ties the sign-in to the browser that started it: set it in a short-lived
   * HttpOnly cookie and hand it back to `completeSignIn`, so a callback link sent to someone else
   * (login CSRF) is refused.
   */
  browserBinding: string;
  /** Epoch ms after which the callback is refused. */
  expiresAt: number;
}

export interface SignInResult {
  organizationId: string;
  userId: string;
  role: MembershipRole;
  identity: ProviderIdentity;
  /** The path to go to after sign-in, as given at the start (already checked to be local). */
  returnTo: string | null;
}

export interface OidcRelyingParty {
  /** Begins an authorization-code sign-in with PKCE (S256), state and nonce for the organisation. */
  startSignIn(request: { organizationId: string; returnTo?: string | null }): Promise<StartedSignIn>;
  /**
   * Finishes it from the provider's redirect: exchanges the code, validates the ID token, maps the
   * role and asks the directory to let the person in (`origin` is passed on for its audit entries).
   */
  completeSignIn(
    callback: SignInCallback,
    browserBinding: string | null,
    origin?: RequestOrigin | null,
  ): Promise<SignInResult>;
  /**
   * The organisation a failed `completeSignIn` was for, when its `state` was known (so the failure
   * can be audited in that organisation's chain); null when the state itself was refused.
   */
  organizationOfFailure(error: unknown): string | null;
}

export interface OidcRelyingPartyOptions {
  providers: IdentityProviders;
  connections: SsoConnectionSource;
  directory: SignInDirectory;
  keyValueStore: KeyValueStore;
  clock: Clock;
  settings: SsoSettings;
  random?: RandomBytes;
}

/** A return path must stay on this site: one leading slash, no scheme, no backslash, no control characters. */
function checkedReturnPath(returnTo: string | null | undefined): string | null {
  if (returnTo === undefined || returnTo === null || returnTo === '') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (returnTo.length > 2048 || !/^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(returnTo)) {
    throw ssoErrors.returnPathInvalid();
  }
  return returnTo;
}

function sameHash(text: string, expectedHash: string): boolean {
  const actual = Buffer.from(sha256Text(text));
  const expected = Buffer.from(expectedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

async function connectionOf(
  connections: SsoConnectionSource,
  organizationId: string,
): Promise<SsoConnection> {
  const connection = await connections.find(organizationId);
  if (!connection) throw ssoErrors.notConfigured();
  return connection;
}

export function createOidcRelyingParty(options: OidcRelyingPartyOptions): OidcRelyingParty {
  const { providers, connections, directory, clock, settings } = options;
  const random = options.random ?? systemRandomBytes;
  const pendingSignIns = createPendingSignIns(options.keyValueStore, clock);
  // why a weak map: the errors stay plain coded errors; only this party can say whose sign-in failed.
  const failedFor = new WeakMap<object, string>();

  return {
    async startSignIn(request) {
      const returnTo = checkedReturnPath(request.returnTo);
      const connection = await connectionOf(connections, request.organizationId);
      const metadata = await providers.metadata.get(connection.issuer);
      const methods = metadata.tokenEndpointAuthMethods;
      if (methods && !methods.includes(connection.tokenEndpointAuthMethod)) {
        throw ssoErrors.providerMetadataInvalid(
          connection.issuer,
          `its token endpoint does not accept ${connection.tokenEndpointAuthMethod} (it accepts ${methods.join(', ')})`,
        );
      }
      idTokenAlgorithms(metadata);
      const state = randomUrlSafeText(random);
      const nonce = randomUrlSafeText(random);
      const codeVerifier = randomUrlSafeText(random);
      const browserBinding = randomUrlSafeText(random);
      const startedAt = clock.now();
      const expiresAt = startedAt + settings.sign_in_ttl_ms;
      await pendingSignIns.save(state, {
        organizationId: connection.organizationId,
        issuer: connection.issuer,
        clientId: connection.clientId,
        redirectUri: connection.redirectUri,
        nonce,
        codeVerifier,
        browserBindingHash: sha256Text(browserBinding),
        returnTo,
        startedAt,
        expiresAt,
      });
      const url = new URL(metadata.authorizationEndpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', connection.clientId);
      url.searchParams.set('redirect_uri', connection.redirectUri);
      url.searchParams.set('scope', connection.scopes.join(' '));
      url.searchParams.set('state', state);
      url.searchParams.set('nonce', nonce);
      url.searchParams.set('code_challenge', codeChallengeOf(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      return { authorizationUrl: url.toString(), browserBinding, expiresAt };
    },

    organizationOfFailure(error) {
      return typeof error === 'object' && error !== null ? (failedFor.get(error) ?? null) : null;
    },

    async completeSignIn(callback, browserBinding, origin = null) {
      if (!callback.state) throw ssoErrors.callbackInvalid('state is missing');
      const pending = await pendingSignIns.consume(callback.state);
      if (!pending) throw ssoErrors.stateInvalid();
      try {
        return await completePending(pending, callback, browserBinding, origin);
      } catch (error) {
        if (typeof error === 'object' && error !== null) failedFor.set(error, pending.organizationId);
        throw error;
      }
    },
  };

  async function completePending(
    pending: PendingSignIn,
    callback: SignInCallback,
    browserBinding: string | null,
    origin: RequestOrigin | null,
  ): Promise<SignInResult> {
    if (!browserBinding || !sameHash(browserBinding, pending.browserBindingHash))
      throw ssoErrors.browserMismatch();
    const connection = await connectionOf(connections, pending.organizationId);
    if (
      connection.issuer !== pending.issuer ||
      connection.clientId !== pending.clientId ||
      connection.redirectUri !== pending.redirectUri
    ) {
      throw ssoErrors.connectionChanged();
    }
    const metadata = await providers.metadata.get(connection.issuer);
    if (
      callback.iss !== undefined ? callback.iss !== metadata.issuer : metadata.issuerInAuthorizationResponse
    ) {
      throw ssoErrors.issuerResponseMismatch();
    }
    if (callback.error !== undefined)
      throw ssoErrors.providerDenied(callback.error, callback.error_description);
    if (!callback.code) throw ssoErrors.callbackInvalid('code is missing');
    const idToken = await exchangeAuthorizationCode(
      providers.fetch,
      metadata,
      connection,
      { code: callback.code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri },
      providers.timeoutMs,
    );
    let payload: Awaited<ReturnType<typeof validateIdToken>>;
    try {
      payload = await validateIdToken(idToken, providers, metadata, {
        clientId: connection.clientId,
        nonce: pending.nonce,
        now: clock.now(),
        clockSkewSeconds: settings.clock_skew_seconds,
      });
    } catch (error) {
      if (error instanceof TokenRejection) throw idTokenError(error);
      throw error;
    }
    const identity = identityOf(payload, connection);
    const mappedRole = roleForGroups(identity.groups, connection.roleMapping, connection.defaultRole);
    if (mappedRole === null) throw ssoErrors.roleNotMapped();
    const decision = await directory.resolve({
      ...identity,
      organizationId: connection.organizationId,
      mappedRole,
      origin,
    });
    if (decision.outcome === 'refused') throw ssoErrors.signInRefused(decision.reason);
    return {
      organizationId: connection.organizationId,
      userId: decision.userId,
      role: decision.role,
      identity,
      returnTo: pending.returnTo,
    };
  }
}
