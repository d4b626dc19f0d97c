import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BearerTokenVerifier, createBearerTokenVerifier } from './bearer-token-verifier.ts';
import { createIdentityProviders } from './identity-providers.ts';
import { type OpenIdTestProvider, startOpenIdTestProvider } from './openid-test-provider.fixture.ts';
import { ssoSettingsSchema } from './sso-settings-schema.ts';
import {
  connectionFor,
  InMemoryConnections,
  offsetClock,
  recordingFetch,
} from './sso-test-doubles.fixture.ts';

const audience = 'api://kimi-platform';
const settings = ssoSettingsSchema.parse({ allow_loopback_issuers: true });
const signInClient = {
  clientId: 'kimi-platform',
  clientSecret: 'client-secret-0123456789',
  redirectUri: 'http://127.0.0.1:8080/cb',
};
const developerService = {
  clientId: 'billing-service',
  clientSecret: 'billing-secret-0123456789',
  redirectUri: 'http://127.0.0.1:1/unused',
};
const adminService = {
  clientId: 'deploy-robot',
  clientSecret: 'deploy-secret-0123456789',
  redirectUri: 'http://127.0.0.1:1/unused2',
};
const unmappedService = {
  clientId: 'stranger',
  clientSecret: 'stranger-secret-0123456789',
  redirectUri: 'http://127.0.0.1:1/unused3',
};
const tokenLifetimeSeconds = 120;

let provider: OpenIdTestProvider;
let otherProvider: OpenIdTestProvider;
let connections: InMemoryConnections;
let network: ReturnType<typeof recordingFetch>;
let clock: ReturnType<typeof offsetClock>;
let verifier: BearerTokenVerifier;

beforeAll(async () => {
  const options = {
    clients: [signInClient, developerService, adminService, unmappedService],
    accounts: [],
    accessTokenTtlSeconds: tokenLifetimeSeconds,
    workloadClaims: {
      'billing-service': { roles: ['Kimi.Developer'] },
      'deploy-robot': { roles: ['Kimi.Developer', 'Kimi.Admin'] },
    },
  };
  [provider, otherProvider] = await Promise.all([
    startOpenIdTestProvider(options),
    startOpenIdTestProvider(options),
  ]);
});

afterAll(async () => {
  await Promise.all([provider.close(), otherProvider.close()]);
});

beforeEach(() => {
  network = recordingFetch();
  clock = offsetClock();
  connections = new InMemoryConnections();
  connections.put(
    connectionFor('org_a', provider.issuer, signInClient, {
      groupsClaim: 'roles',
      roleMapping: { 'Kimi.Developer': 'developer', 'Kimi.Admin': 'admin' },
      bearerAudiences: [audience],
    }),
  );
  verifier = createBearerTokenVerifier({
    providers: createIdentityProviders({ fetch: network.fetch, clock, settings }),
    connections,
    clock,
    clockSkewSeconds: settings.clock_skew_seconds,
  });
});

function alteredPayload(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url')}.${signature}`;
}

describe('bearer JWTs from the organisation’s identity provider', () => {
  it('accepts a workload token for an accepted audience and maps its app roles', async () => {
    const token = await provider.workloadToken(developerService, audience);
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({
      organizationId: 'org_a',
      issuer: provider.issuer,
      subject: 'billing-service',
      audience,
      clientId: 'billing-service',
      role: 'developer',
      groups: ['Kimi.Developer'],
      scopes: ['kimi.invoke'],
    });
    expect(principal.expiresAt).toBeGreaterThan(Date.now());
    await expect(verifier.verify(token, { organizationId: 'org_a' })).resolves.toMatchObject({
      role: 'developer',
    });

    const admin = await verifier.verify(await provider.workloadToken(adminService, audience));
    expect(admin.role).toBe('admin');
    expect(network.count('/.well-known/openid-configuration')).toBe(1);
    expect(network.count('/jwks')).toBe(1);
  });

  it('refuses an expired token', async () => {
    const token = await provider.workloadToken(developerService, audience);
    clock.offsetMs = (tokenLifetimeSeconds + settings.clock_skew_seconds + 5) * 1000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'BEARER_TOKEN_EXPIRED', status: 401 });
  });

  it('accepts a token within the clock skew of its expiry, and refuses one issued in the future', async () => {
    const token = await provider.workloadToken(developerService, audience);
    clock.offsetMs = (tokenLifetimeSeconds + settings.clock_skew_seconds - 10) * 1000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'developer' });
    clock.offsetMs = -(settings.clock_skew_seconds + 10) * 1000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'BEARER_TOKEN_NOT_YET_VALID' });
  });

  it('refuses a token for another audience', async () => {
    const token = await provider.workloadToken(developerService, 'api://another-service');
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'BEARER_TOKEN_WRONG_AUDIENCE' });
    await expect(verifier.verify(token, { organizationId: 'org_a' })).rejects.toMatchObject({
      code: 'BEARER_TOKEN_WRONG_AUDIENCE',
    });
  });

  it('refuses a token from another issuer, without calling that issuer', async () => {
    const token = await otherProvider.workloadToken(developerService, audience);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'BEARER_TOKEN_WRONG_ISSUER' });
    await expect(verifier.verify(token, { organizationId: 'org_a' })).rejects.toMatchObject({
      code: 'BEARER_TOKEN_WRONG_ISSUER',
    });
    expect(network.calls).toEqual([]);
  });

  it('refuses a token whose claims were changed (bad signature)', async () => {
    const token = await provider.workloadToken(developerService, audience);
    await expect(verifier.verify(alteredPayload(token, { roles: ['Kimi.Admin'] }))).rejects.toMatchObject({
      code: 'BEARER_TOKEN_BAD_SIGNATURE',
    });
  });

  it('refuses a token signed with a key the issuer does not publish, refetching its keys at most once per cooldown', async () => {
    await verifier.verify(await provider.workloadToken(developerService, audience));
    const { privateKey } = await generateKeyPair('RS256');
    const forge = (kid: string) =>
      new SignJWT({ roles: ['Kimi.Admin'] })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(provider.issuer)
        .setAudience(audience)
        .setSubject('intruder')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    for (const kid of ['forged-1', 'forged-2', 'forged-3']) {
      await expect(verifier.verify(await forge(kid))).rejects.toMatchObject({
        code: 'BEARER_TOKEN_UNKNOWN_KEY',
      });
    }
    expect(network.count('/jwks')).toBe(1);
    clock.offsetMs = settings.jwks_refetch_cooldown_ms;
    await expect(verifier.verify(await forge('forged-4'))).rejects.toMatchObject({
      code: 'BEARER_TOKEN_UNKNOWN_KEY',
    });
    expect(network.count('/jwks')).toBe(2);
  });

  it('refuses symmetric and unsigned tokens, and text that is not a JWT', async () => {
    const symmetric = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(provider.issuer)
      .setAudience(audience)
      .setSubject('intruder')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(signInClient.clientSecret));
    await expect(verifier.verify(symmetric)).rejects.toMatchObject({
      code: 'BEARER_TOKEN_ALGORITHM_NOT_ALLOWED',
    });
    const token = await provider.workloadToken(developerService, audience);
    const [, payload] = token.split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    await expect(verifier.verify(unsigned)).rejects.toMatchObject({
      code: 'BEARER_TOKEN_ALGORITHM_NOT_ALLOWED',
    });
    await expect(verifier.verify('sk-kimi-not-a-jwt')).rejects.toMatchObject({
      code: 'BEARER_TOKEN_MALFORMED',
    });
  });

  it('refuses a workload none of whose roles is mapped, unless the connection has a default role', async () => {
    const token = await provider.workloadToken(unmappedService, audience);
    await expect(verifier.verify(token)).rejects.toMatchObject({
      code: 'BEARER_TOKEN_ROLE_NOT_MAPPED',
      status: 403,
    });
    const connection = await connections.find('org_a');
    connections.put({ ...connection!, defaultRole: 'viewer' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'viewer', groups: [] });
  });

  it('refuses tokens for an organisation that accepts none, and asks which organisation when two could', async () => {
    const token = await provider.workloadToken(developerService, audience);
    connections.put(connectionFor('org_b', provider.issuer, signInClient));
    await expect(verifier.verify(token, { organizationId: 'org_b' })).rejects.toMatchObject({
      code: 'BEARER_TOKEN_NOT_ACCEPTED',
    });
    await expect(verifier.verify(token, { organizationId: 'org_none' })).rejects.toMatchObject({
      code: 'BEARER_TOKEN_NOT_ACCEPTED',
    });
    connections.put(
      connectionFor('org_b', provider.issuer, signInClient, {
        groupsClaim: 'roles',
        roleMapping: { 'Kimi.Developer': 'viewer' },
        bearerAudiences: [audience],
      }),
    );
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'BEARER_TOKEN_AMBIGUOUS' });
    await expect(verifier.verify(token, { organizationId: 'org_b' })).resolves.toMatchObject({
      organizationId: 'org_b',
      role: 'viewer',
    });
  });

  it('picks up a rotated signing key after one refetch', async () => {
    await verifier.verify(await provider.workloadToken(developerService, audience));
    await provider.rotateKeys();
    const rotated = await provider.workloadToken(developerService, audience);
    clock.offsetMs = settings.jwks_refetch_cooldown_ms;
    await expect(verifier.verify(rotated)).resolves.toMatchObject({ role: 'developer' });
    expect(network.count('/jwks')).toBe(2);
  });
});
