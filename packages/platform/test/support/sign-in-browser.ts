import type { OpenIdTestProvider } from '../../src/identity/sso/openid-test-provider.fixture.ts';
import type { TestApp } from './test-app.ts';

type Headers = Record<string, string | string[] | number | undefined>;

/** The cookies a browser keeps from the platform's answers (names as set; expired ones dropped). */
export class CookieJar {
  readonly cookies = new Map<string, { value: string; attributes: string }>();

  keep(headers: Headers): void {
    const raw = headers['set-cookie'];
    const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (/max-age=0\b/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, attributes: attributes.join(';').trim() });
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** The `Cookie` header for a path (the refresh cookie only below its Path). */
  header(path = '/'): string {
    return [...this.cookies]
      .filter(([, cookie]) => {
        const cookiePath = /Path=([^;]+)/i.exec(cookie.attributes)?.[1] ?? '/';
        return path.startsWith(cookiePath);
      })
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  copy(): CookieJar {
    const copied = new CookieJar();
    for (const [name, cookie] of this.cookies) copied.cookies.set(name, { ...cookie });
    return copied;
  }
}

/** A browser on the platform: requests carry its cookies and keep what the answers set. */
export class Browser {
  constructor(
    readonly testApp: TestApp,
    readonly jar = new CookieJar(),
  ) {}

  async request(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; payload?: unknown } = {},
  ) {
    const path = url.split('?')[0] ?? url;
    const cookie = this.jar.header(path);
    const response = await this.testApp.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(cookie ? { cookie } : {}), ...(options.headers ?? {}) },
      ...(options.payload === undefined ? {} : { payload: options.payload as Record<string, unknown> }),
    });
    this.jar.keep(response.headers);
    return response;
  }

  /** Starts a sign-in at the platform; the provider's authorization URL it redirects to. */
  async start(organizationId: string, returnTo?: string): Promise<string> {
    const query = returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : '';
    const response = await this.request('GET', `/v1/auth/sso/${organizationId}/start${query}`);
    if (response.statusCode !== 302) throw new Error(`start: ${response.statusCode} ${response.body}`);
    return String(response.headers.location);
  }

  /** Start → the provider's pages as `accountId` → the callback URL the provider sends back (not yet followed). */
  async throughProvider(
    provider: OpenIdTestProvider,
    organizationId: string,
    accountId: string,
    returnTo?: string,
  ): Promise<string> {
    const callback = await provider.signIn(await this.start(organizationId, returnTo), accountId);
    return `${callback.pathname}${callback.search}`;
  }

  /** A whole sign-in; the callback's answer. */
  async signIn(provider: OpenIdTestProvider, organizationId: string, accountId: string, returnTo?: string) {
    return this.request('GET', await this.throughProvider(provider, organizationId, accountId, returnTo));
  }
}
