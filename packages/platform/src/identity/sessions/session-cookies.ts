import type { SessionSettings } from './session-settings-schema.ts';

/**
 * Cookie names. `__Host-` binds a cookie to this host, Path=/ and Secure (no Domain, so no
 * sibling subdomain can set or read it); `__Secure-` only requires Secure, which the refresh cookie
 * needs because its Path is narrower.
 */
export const sessionCookieNames = {
  accessToken: '__Host-kimi-session',
  refreshToken: '__Secure-kimi-refresh',
  csrfToken: '__Host-kimi-csrf',
  signIn: '__Host-kimi-sign-in',
} as const;

export type SessionCookieNames = { readonly [Name in keyof typeof sessionCookieNames]: string };

/**
 * The names without their prefixes, for a platform served over plain http on localhost: browsers
 * refuse a `__Host-` or `__Secure-` cookie that is not Secure, and Safari keeps no Secure cookie
 * from http://localhost.
 */
const localCookieNames: SessionCookieNames = {
  accessToken: 'kimi-session',
  refreshToken: 'kimi-refresh',
  csrfToken: 'kimi-csrf',
  signIn: 'kimi-sign-in',
};

/** The cookie names in use: prefixed (bound to Secure and the host) unless the cookies are not Secure. */
export function cookieNamesFor(secure: boolean): SessionCookieNames {
  return secure ? sessionCookieNames : localCookieNames;
}

/**
 * Whether cookies are Secure for a platform reached at `publicUrl`: always, except over plain http
 * on localhost or a loopback address (local development without TLS).
 */
export function cookiesAreSecure(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  if (url.protocol !== 'http:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host));
}

/** One Set-Cookie, as plain data; `serializeCookie` writes the header value. */
export interface CookieToSet {
  name: string;
  value: string;
  httpOnly: boolean;
  /** False only for local development over http (see `cookiesAreSecure`). */
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
  path: string;
  maxAgeSeconds: number;
}

/** The tokens a sign-in or refresh hands the browser. */
export interface SessionCookieValues {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenExpiresAt: number;
  csrfToken: string;
}

/** The settings cookies follow; `secure` defaults to true. */
export type CookiePolicy = Pick<SessionSettings, 'same_site' | 'refresh_cookie_path'> & { secure?: boolean };

function secondsUntil(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1000));
}

/**
 * The three session cookies: the access token and the refresh token HttpOnly (scripts never see
 * them), the refresh token sent only to the refresh path; the CSRF token readable by the page's
 * scripts so they can echo it in `x-csrf-token`. All Secure (Chrome and Firefox accept Secure
 * cookies from http://localhost too) and SameSite per the settings.
 */
export function sessionCookies(
  values: SessionCookieValues,
  policy: CookiePolicy,
  now: number,
): CookieToSet[] {
  const sameSite = policy.same_site;
  const secure = policy.secure ?? true;
  const names = cookieNamesFor(secure);
  const refreshMaxAge = secondsUntil(values.refreshTokenExpiresAt, now);
  return [
    {
      name: names.accessToken,
      value: values.accessToken,
      httpOnly: true,
      secure,
      sameSite,
      path: '/',
      maxAgeSeconds: secondsUntil(values.accessTokenExpiresAt, now),
    },
    {
      name: names.refreshToken,
      value: values.refreshToken,
      httpOnly: true,
      secure,
      sameSite,
      path: policy.refresh_cookie_path,
      maxAgeSeconds: refreshMaxAge,
    },
    {
      name: names.csrfToken,
      value: values.csrfToken,
      httpOnly: false,
      secure,
      sameSite,
      path: '/',
      maxAgeSeconds: refreshMaxAge,
    },
  ];
}

/** The cookies that end a session in the browser (sign-out, or a refused refresh). */
export function clearedSessionCookies(policy: CookiePolicy): CookieToSet[] {
  return sessionCookies(
    { accessToken: '', accessTokenExpiresAt: 0, refreshToken: '', refreshTokenExpiresAt: 0, csrfToken: '' },
    policy,
    0,
  );
}

/**
 * The cookie that ties a started sign-in to this browser (the relying party's `browserBinding`).
 * SameSite=Lax, because the provider's redirect back is a cross-site navigation that a Strict
 * cookie would not accompany.
 */
export function signInBindingCookie(
  browserBinding: string,
  expiresAt: number,
  now: number,
  secure = true,
): CookieToSet {
  return {
    name: cookieNamesFor(secure).signIn,
    value: browserBinding,
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    path: '/',
    maxAgeSeconds: secondsUntil(expiresAt, now),
  };
}

export function clearedSignInBindingCookie(secure = true): CookieToSet {
  return signInBindingCookie('', 0, 0, secure);
}

const cookieNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const cookieValuePattern = /^[!#-+\--:<-[\]-~]*$/;

/** The `Set-Cookie` header value of a cookie (RFC 6265bis attributes). */
export function serializeCookie(cookie: CookieToSet): string {
  if (!cookieNamePattern.test(cookie.name)) throw new Error(`Invalid cookie name '${cookie.name}'.`);
  if (!cookieValuePattern.test(cookie.value))
    throw new Error(`The value of cookie '${cookie.name}' needs encoding.`);
  const attributes = [
    `${cookie.name}=${cookie.value}`,
    `Path=${cookie.path}`,
    `Max-Age=${cookie.maxAgeSeconds}`,
  ];
  if (cookie.httpOnly) attributes.push('HttpOnly');
  if (cookie.secure) attributes.push('Secure');
  attributes.push(`SameSite=${cookie.sameSite}`);
  return attributes.join('; ');
}

/** The cookies of a `Cookie` request header; the first of a repeated name wins (the most specific path). */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
