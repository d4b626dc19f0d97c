import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteRedisKeysWithPrefix } from '../../../test/support/redis-test-support.ts';
import { redisAvailable, testRedisUrl, uniqueRedisPrefix } from '../../../test/support/services.ts';
import {
  createMemoryKeyValueStore,
  createRedisKeyValueStore,
  type KeyValueStore,
} from '../../storage/kv/index.ts';
import { createIdentityProviders } from './identity-providers.ts';
import { createOidcRelyingParty, type OidcRelyingParty } from './oidc-relying-party.ts';
import { type OpenIdTestProvider, startOpenIdTestProvider } from './openid-test-provider.fixture.ts';
import type { SsoConnection } from './sso-connection-schema.ts';
import { ssoSettingsSchema } from './sso-settings-schema.ts';
import {
  connectionFor,
  InMemoryConnections,
  InMemoryDirectory,
  offsetClock,
  recordingFetch,
} from './sso-test-doubles.fixture.ts';

const client = {
  clientId: 'kimi-platform',
  clientSecret: 'client-secret-0123456789',
  redirectUri: 'http://127.0.0.1:8080/v1/auth/sso/callback',
};
const postClient = {
  clientId: 'kimi-post',
  clientSecret: 'post-secret-0123456789',
  redirectUri: 'http://127.0.0.1:8080/post/callback',
  tokenEndpointAuthMethod: 'client_secret_post' as const,
};
const otherClient = {
  clientId: 'other-app',
  clientSecret: 'other-secret-0123456789',
  redirectUri: 'http://127.0.0.1:8080/other/callback',
};
const settings = ssoSettingsSchema.parse({ allow_loopback_issuers: true, jwks_refetch_cooldown_ms: 30_000 });

let provider: OpenIdTestProvider;
let connections: InMemoryConnections;
let directory: InMemoryDirectory;
let network: ReturnType<typeof recordingFetch>;
let clock: ReturnType<typeof offsetClock>;
let party: OidcRelyingParty;

function newRelyingParty(
  overrides: { allowLoopback?: boolean; keyValueStore?: KeyValueStore } = {},
): OidcRelyingParty {
  const partySettings = { ...settings, allow_loopback_issuers: overrides.allowLoopback ?? true };
  return createOidcRelyingParty({
    providers: createIdentityProviders({ fetch: network.fetch, clock, settings: partySettings }),
    connections,
    directory,
    keyValueStore: overrides.keyValueStore ?? createMemoryKeyValueStore(),
    clock,
    settings: partySettings,
  });
}

/** A sign-in through the provider's pages; returns the callback the browser would bring back. */
async function signInAs(accountId: string, organizationId = 'org_a', relyingParty = party) {
  const started = await relyingParty.startSignIn({ organizationId, returnTo: '/dashboard/usage' });
  const callbackUrl = await provider.signIn(started.authorizationUrl, accountId);
  return { started, callback: Object.fromEntries(callbackUrl.searchParams) };
}

function replaceIdToken(replace: (idToken: string) => string) {
  network.intercept(async (url, response) => {
    if (!url.endsWith('/token')) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return Response.json({ ...body, id_token: replace(String(body.id_token)) }, { status: response.status });
  });
}

/** Captures the ID token of the next code exchange. */
function captureIdToken(): { value: string | null } {
  const captured: { value: string | null } = { value: null };
  network.intercept(async (url, response) => {
    if (!url.endsWith('/token')) return response;
    const body = (await response.clone().json()) as Record<string, unknown>;
    captured.value = String(body.id_token);
    return response;
  });
  return captured;
}

beforeAll(async () => {
  provider = await startOpenIdTestProvider({
    clients: [client, otherClient, postClient],
    idTokenTtlSeconds: 120,
    accounts: [
      { id: 'alice', email: 'alice@example.com', name: 'Alice Example', groups: ['engineers'] },
      {
        id: 'bob',
        email: 'bob@example.com',
        name: 'Bob Example',
        groups: ['engineers', 'platform-admins', 'finance'],
      },
      { id: 'carol', email: 'carol@example.com', name: 'Carol Example', groups: ['marketing'] },
    ],
  });
});

afterAll(async () => {
  await provider.close();
});

beforeEach(() => {
  network = recordingFetch();
  clock = offsetClock();
  connections = new InMemoryConnections();
  connections.put(connectionFor('org_a', provider.issuer, client));
  directory = new InMemoryDirectory();
  party = newRelyingParty();
});

describe('OpenID Connect sign-in against a real provider', () => {
  it('signs a person in with the authorization code flow, PKCE S256, state and nonce', async () => {
    const started = await party.startSignIn({ organizationId: 'org_a', returnTo: '/dashboard/usage' });
    const authorization = new URL(started.authorizationUrl);
    expect(authorization.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
    });
    for (const parameter of ['state', 'nonce', 'code_challenge']) {
      expect(authorization.searchParams.get(parameter)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(authorization.searchParams.get('state')).not.toBe(authorization.searchParams.get('nonce'));

    const callbackUrl = await provider.signIn(started.authorizationUrl, 'alice');
    expect(callbackUrl.searchParams.get('iss')).toBe(provider.issuer);
    const result = await party.completeSignIn(
      Object.fromEntries(callbackUrl.searchParams),
      started.browserBinding,
    );

    expect(result).toEqual({
      organizationId: 'org_a',
      userId: 'user_1',
      role: 'developer',
      returnTo: '/dashboard/usage',
      identity: {
        issuer: provider.issuer,
        subject: 'alice',
        email: 'alice@example.com',
        emailVerified: true,
        name: 'Alice Example',
        groups: ['engineers'],
      },
    });
    expect(directory.requests).toEqual([
      expect.objectContaining({ organizationId: 'org_a', subject: 'alice', mappedRole: 'developer' }),
    ]);
  });

  it('links the same person to the same user on the next sign-in and caches discovery and keys', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { started, callback } = await signInAs('alice');
      await expect(party.completeSignIn(callback, started.browserBinding)).resolves.toMatchObject({
        userId: 'user_1',
      });
    }
    expect(network.count('/.well-known/openid-configuration')).toBe(1);
    expect(network.count('/jwks')).toBe(1);

    clock.offsetMs = settings.discovery_ttl_ms + 1000;
    await party.startSignIn({ organizationId: 'org_a' });
    expect(network.count('/.well-known/openid-configuration')).toBe(2);
  });

  it('maps groups to the most privileged role, falls back to the default role, else refuses', async () => {
    const bob = await signInAs('bob');
    await expect(party.completeSignIn(bob.callback, bob.started.browserBinding)).resolves.toMatchObject({
      role: 'admin',
    });

    const refused = await signInAs('carol');
    await expect(
      party.completeSignIn(refused.callback, refused.started.browserBinding),
    ).rejects.toMatchObject({
      code: 'SSO_ROLE_NOT_MAPPED',
      status: 403,
    });

    connections.put(connectionFor('org_a', provider.issuer, client, { defaultRole: 'viewer' }));
    const carol = await signInAs('carol');
    await expect(party.completeSignIn(carol.callback, carol.started.browserBinding)).resolves.toMatchObject({
      role: 'viewer',
      identity: expect.objectContaining({ groups: ['marketing'] }),
    });
  });

  it('refuses a replayed state: a callback works once', async () => {
    const { started, callback } = await signInAs('alice');
    await party.completeSignIn(callback, started.browserBinding);
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_STATE_INVALID',
      status: 400,
    });
    await expect(
      party.completeSignIn({ ...callback, state: 'made-up' }, started.browserBinding),
    ).rejects.toMatchObject({
      code: 'SSO_STATE_INVALID',
    });
    await expect(party.completeSignIn({ code: 'x' }, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_CALLBACK_INVALID',
    });
  });

  it('refuses a state past its lifetime', async () => {
    const { started, callback } = await signInAs('alice');
    clock.offsetMs = settings.sign_in_ttl_ms + 1;
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_STATE_INVALID',
    });
  });

  it('refuses a callback brought by another browser than the one that started the sign-in', async () => {
    const { callback } = await signInAs('alice');
    const other = await party.startSignIn({ organizationId: 'org_a' });
    await expect(party.completeSignIn(callback, other.browserBinding)).rejects.toMatchObject({
      code: 'SSO_BROWSER_MISMATCH',
    });
    const again = await signInAs('alice');
    await expect(party.completeSignIn(again.callback, null)).rejects.toMatchObject({
      code: 'SSO_BROWSER_MISMATCH',
    });
  });

  it('refuses a tampered ID token (a claim changed, the signature kept)', async () => {
    replaceIdToken((idToken) => {
      const [header, payload, signature] = idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['platform-admins'] })).toString(
        'base64url',
      );
      return `${header}.${forged}.${signature}`;
    });
    const { started, callback } = await signInAs('alice');
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_BAD_SIGNATURE',
      status: 401,
    });
    expect(directory.requests).toEqual([]);
  });

  it('refuses an ID token that is not a JWT, or is unsigned', async () => {
    replaceIdToken(() => 'not-a-jwt');
    const first = await signInAs('alice');
    await expect(party.completeSignIn(first.callback, first.started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_MALFORMED',
    });
    replaceIdToken((idToken) => {
      const [, payload] = idToken.split('.');
      return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    });
    const second = await signInAs('alice');
    await expect(party.completeSignIn(second.callback, second.started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED',
    });
  });

  it('refuses an expired ID token', async () => {
    const { started, callback } = await signInAs('alice');
    clock.offsetMs = 120_000 + settings.clock_skew_seconds * 1000 + 5000;
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_EXPIRED',
    });
  });

  it('refuses an ID token issued in the future beyond the clock skew', async () => {
    const { started, callback } = await signInAs('alice');
    clock.offsetMs = -(settings.clock_skew_seconds * 1000 + 10_000);
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_NOT_YET_VALID',
    });
  });

  it('refuses an ID token issued for another client (wrong audience)', async () => {
    connections.put(connectionFor('org_other', provider.issuer, otherClient));
    const captured = captureIdToken();
    const other = await signInAs('alice', 'org_other');
    await party.completeSignIn(other.callback, other.started.browserBinding);
    expect(captured.value).toBeTruthy();

    replaceIdToken(() => captured.value!);
    const { started, callback } = await signInAs('alice');
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_WRONG_AUDIENCE',
    });
  });

  it('refuses an ID token of another sign-in (wrong nonce)', async () => {
    const captured = captureIdToken();
    const earlier = await signInAs('alice');
    await party.completeSignIn(earlier.callback, earlier.started.browserBinding);

    replaceIdToken(() => captured.value!);
    const { started, callback } = await signInAs('alice');
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_NONCE_MISMATCH',
    });
  });

  it('keeps working when the provider rotates its signing keys: one rate-limited refetch', async () => {
    const first = await signInAs('alice');
    await party.completeSignIn(first.callback, first.started.browserBinding);
    expect(network.count('/jwks')).toBe(1);
    const oldKeyId = provider.signingKeyId;

    await provider.rotateKeys();
    expect(provider.signingKeyId).not.toBe(oldKeyId);

    // Within the cooldown an unknown key id does not reach the provider again.
    const tooSoon = await signInAs('alice');
    await expect(
      party.completeSignIn(tooSoon.callback, tooSoon.started.browserBinding),
    ).rejects.toMatchObject({
      code: 'SSO_ID_TOKEN_UNKNOWN_KEY',
    });
    expect(network.count('/jwks')).toBe(1);

    clock.offsetMs = settings.jwks_refetch_cooldown_ms;
    const rotated = await signInAs('alice');
    await expect(
      party.completeSignIn(rotated.callback, rotated.started.browserBinding),
    ).resolves.toMatchObject({
      userId: 'user_1',
    });
    expect(network.count('/jwks')).toBe(2);

    const next = await signInAs('alice');
    await party.completeSignIn(next.callback, next.started.browserBinding);
    expect(network.count('/jwks')).toBe(2);
  });

  it('reports the provider ending the sign-in with an error, and consumes the state', async () => {
    const started = await party.startSignIn({ organizationId: 'org_a' });
    const state = new URL(started.authorizationUrl).searchParams.get('state')!;
    const callback = {
      state,
      iss: provider.issuer,
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    };
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_PROVIDER_DENIED',
      message: expect.stringContaining('access_denied'),
    });
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_STATE_INVALID',
    });
  });

  it('refuses a response that names another issuer, or none where the provider always names itself (mix-up)', async () => {
    const named = await signInAs('alice');
    await expect(
      party.completeSignIn(
        { ...named.callback, iss: 'https://attacker.example' },
        named.started.browserBinding,
      ),
    ).rejects.toMatchObject({ code: 'SSO_ISSUER_RESPONSE_MISMATCH' });
    const unnamed = await signInAs('alice');
    const { iss: _issuer, ...withoutIssuer } = unnamed.callback;
    await expect(party.completeSignIn(withoutIssuer, unnamed.started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_ISSUER_RESPONSE_MISMATCH',
    });
  });

  it('reports a wrong client secret as the connection’s fault', async () => {
    connections.put(connectionFor('org_a', provider.issuer, { ...client, clientSecret: 'not-the-secret' }));
    const { started, callback } = await signInAs('alice');
    await expect(party.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_CLIENT_AUTHENTICATION_FAILED',
      status: 502,
    });
  });

  it('authenticates with client_secret_post where the connection says so', async () => {
    connections.put(
      connectionFor('org_post', provider.issuer, postClient, {
        tokenEndpointAuthMethod: 'client_secret_post',
      }),
    );
    const { started, callback } = await signInAs('alice', 'org_post');
    await expect(party.completeSignIn(callback, started.browserBinding)).resolves.toMatchObject({
      organizationId: 'org_post',
      role: 'developer',
    });
  });

  it('refuses a connection that changed during the sign-in, and a refusal by the directory', async () => {
    const changed = await signInAs('alice');
    connections.put(connectionFor('org_a', provider.issuer, { ...client, clientId: 'renamed' }));
    await expect(
      party.completeSignIn(changed.callback, changed.started.browserBinding),
    ).rejects.toMatchObject({
      code: 'SSO_CONNECTION_CHANGED',
    });

    connections.put(connectionFor('org_a', provider.issuer, client));
    directory.refuseSubjects.add('alice');
    const refused = await signInAs('alice');
    await expect(
      party.completeSignIn(refused.callback, refused.started.browserBinding),
    ).rejects.toMatchObject({
      code: 'SSO_SIGN_IN_REFUSED',
      message: expect.stringContaining('the user is disabled'),
    });
  });

  it('refuses to start without a connection, with a foreign return path, or with a loopback issuer in production', async () => {
    await expect(party.startSignIn({ organizationId: 'org_none' })).rejects.toMatchObject({
      code: 'SSO_NOT_CONFIGURED',
    });
    for (const returnTo of [
      '//attacker.example/',
      'https://attacker.example/',
      '/\\attacker.example',
      'dashboard',
    ]) {
      await expect(party.startSignIn({ organizationId: 'org_a', returnTo })).rejects.toMatchObject({
        code: 'SSO_RETURN_PATH_INVALID',
      });
    }
    const production = newRelyingParty({ allowLoopback: false });
    await expect(production.startSignIn({ organizationId: 'org_a' })).rejects.toMatchObject({
      code: 'SSO_ISSUER_NOT_ALLOWED',
    });
    expect(network.calls).toEqual([]);
  });

  it('refuses a provider whose discovery document names another issuer', async () => {
    const impostor: SsoConnection = connectionFor('org_a', `${provider.issuer}/`, client);
    connections.put(impostor);
    await expect(party.startSignIn({ organizationId: 'org_a' })).rejects.toMatchObject({
      code: 'SSO_PROVIDER_METADATA_INVALID',
    });
  });
});

const redis = await redisAvailable();

describe.runIf(redis)('sign-in across replicas sharing Redis', () => {
  const prefix = uniqueRedisPrefix('sso-replicas');
  const stores: KeyValueStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await deleteRedisKeysWithPrefix(testRedisUrl, prefix);
  });

  it('completes on one replica a sign-in another started, and refuses its replay on either', async () => {
    const replicas = [0, 1].map(() => {
      const keyValueStore = createRedisKeyValueStore({ url: testRedisUrl, keyPrefix: prefix });
      stores.push(keyValueStore);
      return newRelyingParty({ keyValueStore });
    });
    const [first, second] = replicas as [OidcRelyingParty, OidcRelyingParty];
    const { started, callback } = await signInAs('alice', 'org_a', first);
    await expect(second.completeSignIn(callback, started.browserBinding)).resolves.toMatchObject({
      role: 'developer',
    });
    await expect(first.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_STATE_INVALID',
    });
    await expect(second.completeSignIn(callback, started.browserBinding)).rejects.toMatchObject({
      code: 'SSO_STATE_INVALID',
    });
  });
});
