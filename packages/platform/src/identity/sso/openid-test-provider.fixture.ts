import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * A real OpenID provider for tests: panva's `oidc-provider` (the certified implementation) on a
 * loopback port, with its development login and consent pages driven over HTTP as a browser would.
 */
export interface TestAccount {
  id: string;
  email: string;
  name: string;
  groups: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** How the client authenticates at the token endpoint; default client_secret_basic. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface OpenIdTestProviderOptions {
  clients: TestClient[];
  accounts: TestAccount[];
  idTokenTtlSeconds?: number;
  accessTokenTtlSeconds?: number;
  /** Claims added to a client-credentials access token, by client id (e.g. Entra's `roles`). */
  workloadClaims?: Record<string, Record<string, unknown>>;
}

export interface OpenIdTestProvider {
  readonly issuer: string;
  /** The key id the provider signs with now. */
  readonly signingKeyId: string;
  /**
   * Follows an authorization URL through the provider's login and consent pages as `accountId`
   * (any password), and returns the URL the provider redirected the browser back to.
   */
  signIn(authorizationUrl: string, accountId: string): Promise<URL>;
  /** A client-credentials access token (a JWT) issued for `audience` (a resource indicator). */
  workloadToken(client: TestClient, audience: string): Promise<string>;
  /** Publishes a new signing key first (the old one stays published) and signs with it from now on. */
  rotateKeys(): Promise<void>;
  close(): Promise<void>;
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: 'RS256', use: 'sig', kid: `test-key-${Math.random().toString(36).slice(2, 10)}` };
}

function configurationFor(options: OpenIdTestProviderOptions, keys: JWK[]): Configuration {
  const accounts = new Map(options.accounts.map((account) => [account.id, account]));
  return {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [client.redirectUri],
      grant_types: ['authorization_code', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    })),
    jwks: { keys: keys as NonNullable<Configuration['jwks']>['keys'] },
    cookies: { keys: ['openid-test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups', 'kimi.invoke'],
    // why: like Entra, put the granted claims in the ID token, the only token the platform reads.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      IdToken: options.idTokenTtlSeconds ?? 300,
      AccessToken: options.accessTokenTtlSeconds ?? 300,
      ClientCredentials: options.accessTokenTtlSeconds ?? 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(_context, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
    async extraTokenClaims(_context, token) {
      const clientId = 'clientId' in token ? String(token.clientId) : '';
      return token.kind === 'ClientCredentials' ? (options.workloadClaims?.[clientId] ?? {}) : {};
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_context, _client, oneOf) => oneOf?.[0] ?? undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_context, resourceIndicator) => ({
          scope: 'kimi.invoke',
          audience: resourceIndicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: options.accessTokenTtlSeconds ?? 300,
        }),
      },
    },
  };
}

/** Cookies a browser would keep between the provider's pages. */
function createCookieJar() {
  const cookies = new Map<string, string>();
  return {
    keep(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const separator = pair.indexOf('=');
        const name = pair.slice(0, separator).trim();
        const value = pair.slice(separator + 1).trim();
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
  };
}

function decodeHtml(text: string): string {
  return text.replaceAll('&amp;', '&').replaceAll('&#x2F;', '/').replaceAll('&quot;', '"');
}

export async function startOpenIdTestProvider(
  options: OpenIdTestProviderOptions,
): Promise<OpenIdTestProvider> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let keys = [await newSigningKey()];
  const install = () => {
    const provider = new Provider(issuer, configurationFor(options, keys));
    handler = provider.callback();
  };
  install();
  const redirectUris = options.clients.map((client) => client.redirectUri);

  return {
    issuer,
    get signingKeyId() {
      return String(keys[0]?.kid);
    },
    async signIn(authorizationUrl, accountId) {
      const jar = createCookieJar();
      let url = authorizationUrl;
      for (let step = 0; step < 16; step += 1) {
        if (redirectUris.some((redirectUri) => url.startsWith(redirectUri))) return new URL(url);
        const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
        jar.keep(response);
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          url = new URL(location, url).toString();
          continue;
        }
        const html = await response.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
        if (response.status !== 200 || !action || !prompt) {
          throw new Error(`The provider answered ${response.status} at ${url}: ${html.slice(0, 300)}`);
        }
        const form = new URLSearchParams({ prompt });
        if (prompt === 'login') {
          form.set('login', accountId);
          form.set('password', 'any password');
        }
        const submitted = await fetch(new URL(decodeHtml(action), url), {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
        jar.keep(submitted);
        await submitted.body?.cancel();
        const next = submitted.headers.get('location');
        if (!next) throw new Error(`The provider answered ${submitted.status} to the ${prompt} form.`);
        url = new URL(next, url).toString();
      }
      throw new Error('The sign-in did not come back to the client within 16 steps.');
    },
    async workloadToken(client, audience) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource: audience,
          scope: 'kimi.invoke',
        }),
      });
      const body = (await response.json()) as { access_token?: string; error_description?: string };
      if (!body.access_token)
        throw new Error(`No access token: ${response.status} ${body.error_description}`);
      return body.access_token;
    },
    async rotateKeys() {
      keys = [await newSigningKey(), ...keys];
      install();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
