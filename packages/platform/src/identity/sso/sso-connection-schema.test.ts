import { describe, expect, it } from 'vitest';
import { issuerUrlProblem } from './issuer-url-policy.ts';
import { parseSsoConnectionInput } from './sso-connection-schema.ts';

const entra = {
  issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
  client_id: '6731de76-14a6-49ae-97bc-6eba6914391e',
  client_secret: 'Abc8Q~secret.value-from-entra',
  redirect_uri: 'https://kimi.example.com/v1/auth/sso/callback',
  groups_claim: 'roles',
  role_mapping: { 'Kimi.Admin': 'admin', 'Kimi.Developer': 'developer' },
  default_role: 'viewer',
  bearer_audiences: ['api://kimi-platform'],
};

describe('SSO connection input', () => {
  it('parses an Entra connection with defaults', () => {
    const parsed = parseSsoConnectionInput(entra);
    expect(parsed.clientSecret).toBe(entra.client_secret);
    expect(parsed.settings).toEqual({
      issuer: entra.issuer,
      clientId: entra.client_id,
      redirectUri: entra.redirect_uri,
      scopes: ['openid', 'profile', 'email'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      groupsClaim: 'roles',
      emailClaim: 'email',
      roleMapping: entra.role_mapping,
      defaultRole: 'viewer',
      requireSso: false,
      bearerAudiences: ['api://kimi-platform'],
    });
    expect(parseSsoConnectionInput({ ...entra, client_secret: undefined }).clientSecret).toBeNull();
  });

  it.each([
    [{ issuer: 'http://login.example.com' }, 'issuer'],
    [{ issuer: 'https://user:password@login.example.com' }, 'issuer'],
    [{ issuer: 'not a url' }, 'issuer'],
    [{ redirect_uri: 'http://kimi.example.com/callback' }, 'redirect_uri'],
    [{ scopes: ['profile'] }, 'scopes'],
    [{ scopes: ['openid', 'has space'] }, 'scopes'],
    [{ default_role: 'owner' }, 'default_role'],
    [{ role_mapping: { group: 'superuser' } }, 'role_mapping'],
    [{ token_endpoint_auth_method: 'none' }, 'token_endpoint_auth_method'],
    [{ unexpected: true }, ''],
  ])('refuses %o, naming the field', (change, field) => {
    const outcome = (() => {
      try {
        parseSsoConnectionInput({ ...entra, ...change });
        return null;
      } catch (error) {
        return error as { issues: { path: (string | number)[] }[] };
      }
    })();
    expect(outcome).not.toBeNull();
    if (field) expect(outcome?.issues[0]?.path[0]).toBe(field);
  });

  it('accepts loopback http for the redirect URI (a local dashboard) and, by policy only, for the issuer', () => {
    expect(() =>
      parseSsoConnectionInput({ ...entra, redirect_uri: 'http://127.0.0.1:8080/cb' }),
    ).not.toThrow();
    expect(issuerUrlProblem('http://127.0.0.1:4000', { allowLoopback: true })).toBeNull();
    expect(issuerUrlProblem('http://localhost:4000', { allowLoopback: false })).toMatch(/loopback/);
    expect(issuerUrlProblem('https://127.0.0.1', { allowLoopback: false })).toMatch(/loopback/);
    expect(issuerUrlProblem('http://login.example.com', { allowLoopback: true })).toMatch(/https/);
    expect(issuerUrlProblem('https://login.example.com/tenant/v2.0', { allowLoopback: false })).toBeNull();
    expect(issuerUrlProblem('https://login.example.com/#fragment', { allowLoopback: false })).toMatch(
      /fragment/,
    );
  });
});
