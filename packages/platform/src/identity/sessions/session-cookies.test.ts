import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookies,
  clearedSignInBindingCookie,
  cookiesAreSecure,
  parseCookieHeader,
  serializeCookie,
  sessionCookies,
  signInBindingCookie,
} from './session-cookies.ts';
import { sessionSettingsSchema } from './session-settings-schema.ts';

const settings = sessionSettingsSchema.parse({});
const now = 1_800_000_000_000;
const values = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln',
  accessTokenExpiresAt: now + 600_000,
  refreshToken: 'kimi_rt.org_a.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  refreshTokenExpiresAt: now + 86_400_000,
  csrfToken: 'bm9uY2U.bWFj',
};

describe('session cookies as plain data', () => {
  it('sets HttpOnly, Secure, SameSite cookies with their lifetimes and paths', () => {
    const headers = sessionCookies(values, settings, now).map(serializeCookie);
    expect(headers).toEqual([
      `__Host-kimi-session=${values.accessToken}; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Strict`,
      `__Secure-kimi-refresh=${values.refreshToken}; Path=/v1/auth; Max-Age=86400; HttpOnly; Secure; SameSite=Strict`,
      `__Host-kimi-csrf=${values.csrfToken}; Path=/; Max-Age=86400; Secure; SameSite=Strict`,
    ]);
  });

  it('follows the settings for SameSite and the refresh path', () => {
    const cookies = sessionCookies(values, { same_site: 'Lax', refresh_cookie_path: '/auth' }, now);
    expect(cookies.map((cookie) => cookie.sameSite)).toEqual(['Lax', 'Lax', 'Lax']);
    expect(cookies[1]?.path).toBe('/auth');
  });

  it('clears every session cookie with Max-Age=0', () => {
    const headers = clearedSessionCookies(settings).map(serializeCookie);
    expect(headers).toHaveLength(3);
    for (const header of headers)
      expect(header).toMatch(/^__(Host|Secure)-kimi-[a-z]+=; Path=\/[a-z0-9/]*; Max-Age=0; /);
  });

  it('binds a sign-in to the browser with a Lax cookie, so the provider’s redirect back carries it', () => {
    expect(serializeCookie(signInBindingCookie('binding-value', now + 600_000, now))).toBe(
      '__Host-kimi-sign-in=binding-value; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax',
    );
    expect(serializeCookie(clearedSignInBindingCookie())).toContain('Max-Age=0');
  });

  it('refuses values that would break the header', () => {
    const [cookie] = sessionCookies(values, settings, now);
    expect(() => serializeCookie({ ...cookie!, value: 'a;b' })).toThrow();
    expect(() => serializeCookie({ ...cookie!, value: 'a b' })).toThrow();
    expect(() => serializeCookie({ ...cookie!, name: 'bad name' })).toThrow();
  });

  it('parses a Cookie header, the first of a repeated name winning', () => {
    const cookies = parseCookieHeader(
      '__Host-kimi-session=abc; __Host-kimi-csrf=x.y; theme=dark; __Host-kimi-session=later; broken',
    );
    expect(cookies.get('__Host-kimi-session')).toBe('abc');
    expect(cookies.get('__Host-kimi-csrf')).toBe('x.y');
    expect(cookies.has('broken')).toBe(false);
    expect(parseCookieHeader(undefined).size).toBe(0);
  });

  it('are Secure everywhere but plain http on localhost, where they lose Secure and their prefixes', () => {
    expect(cookiesAreSecure('https://kimi.example.com')).toBe(true);
    expect(cookiesAreSecure('http://kimi.example.com')).toBe(true);
    expect(cookiesAreSecure('https://localhost:8080')).toBe(true);
    for (const local of [
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
      'http://app.localhost',
    ])
      expect(cookiesAreSecure(local), local).toBe(false);
    const headers = sessionCookies(values, { ...settings, secure: false }, now).map(serializeCookie);
    expect(headers).toEqual([
      `kimi-session=${values.accessToken}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict`,
      `kimi-refresh=${values.refreshToken}; Path=/v1/auth; Max-Age=86400; HttpOnly; SameSite=Strict`,
      `kimi-csrf=${values.csrfToken}; Path=/; Max-Age=86400; SameSite=Strict`,
    ]);
    expect(serializeCookie(signInBindingCookie('b', now + 600_000, now, false))).toBe(
      'kimi-sign-in=b; Path=/; Max-Age=600; HttpOnly; SameSite=Lax',
    );
  });
});
