import { z } from 'zod';
import type { Clock } from '../../support/index.ts';
import { type IssuerUrlPolicy, issuerUrlProblem } from './issuer-url-policy.ts';
import { fetchProviderJson, type ProviderFetch } from './provider-fetch.ts';
import { ssoErrors } from './sso-errors.ts';

/** The discovery fields the relying party uses (OpenID Connect Discovery 1.0, section 3). */
const discoveryDocumentSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  id_token_signing_alg_values_supported: z.array(z.string()).nullish(),
  code_challenge_methods_supported: z.array(z.string()).nullish(),
  token_endpoint_auth_methods_supported: z.array(z.string()).nullish(),
  authorization_response_iss_parameter_supported: z.boolean().nullish(),
});

export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** Null where the provider does not say; the relying party then assumes RS256. */
  idTokenSigningAlgorithms: readonly string[] | null;
  tokenEndpointAuthMethods: readonly string[] | null;
  /** The provider names itself in every authorization response (RFC 9207): check it. */
  issuerInAuthorizationResponse: boolean;
}

export interface ProviderMetadataCache {
  /** The issuer's metadata, fetched at most once per TTL (a stale copy serves while it is down). */
  get(issuer: string): Promise<ProviderMetadata>;
}

export interface ProviderMetadataCacheOptions {
  fetch: ProviderFetch;
  clock: Clock;
  policy: IssuerUrlPolicy;
  /** How long a discovery document is used before it is fetched again. */
  ttlMs: number;
  timeoutMs: number;
  /** Issuers remembered at once; the oldest is forgotten first. Default 1000. */
  maxEntries?: number;
}

export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

function toMetadata(issuer: string, body: unknown, policy: IssuerUrlPolicy): ProviderMetadata {
  const parsed = discoveryDocumentSchema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'document';
    throw ssoErrors.providerMetadataInvalid(issuer, `'${field}' is missing or malformed`);
  }
  const document = parsed.data;
  // why: Discovery 4.3 — the issuer must be identical, or tokens could be replayed across providers.
  if (document.issuer !== issuer) {
    throw ssoErrors.providerMetadataInvalid(issuer, `it names itself '${document.issuer.slice(0, 200)}'`);
  }
  for (const [field, url] of [
    ['authorization_endpoint', document.authorization_endpoint],
    ['token_endpoint', document.token_endpoint],
    ['jwks_uri', document.jwks_uri],
  ] as const) {
    const problem = issuerUrlProblem(url, policy);
    if (problem) throw ssoErrors.providerMetadataInvalid(issuer, `its ${field} ${problem}`);
  }
  const challengeMethods = document.code_challenge_methods_supported;
  if (challengeMethods && !challengeMethods.includes('S256')) {
    throw ssoErrors.providerMetadataInvalid(issuer, 'it does not support PKCE with S256');
  }
  return {
    issuer,
    authorizationEndpoint: document.authorization_endpoint,
    tokenEndpoint: document.token_endpoint,
    jwksUri: document.jwks_uri,
    idTokenSigningAlgorithms: document.id_token_signing_alg_values_supported ?? null,
    tokenEndpointAuthMethods: document.token_endpoint_auth_methods_supported ?? null,
    issuerInAuthorizationResponse: document.authorization_response_iss_parameter_supported === true,
  };
}

/** Discovery with a TTL, one fetch in flight per issuer. */
export function createProviderMetadataCache(options: ProviderMetadataCacheOptions): ProviderMetadataCache {
  const { fetch, clock, policy, ttlMs, timeoutMs } = options;
  const maxEntries = options.maxEntries ?? 1000;
  const entries = new Map<string, { metadata: ProviderMetadata; fetchedAt: number }>();
  const pending = new Map<string, Promise<ProviderMetadata>>();

  async function load(issuer: string): Promise<ProviderMetadata> {
    const url = discoveryUrlOf(issuer);
    const answer = await fetchProviderJson(fetch, url, { method: 'GET' }, timeoutMs);
    if (!answer.ok) throw ssoErrors.discoveryFailed(issuer, answer.detail, answer.cause);
    if (answer.status !== 200) throw ssoErrors.discoveryFailed(issuer, `HTTP ${answer.status}`);
    const metadata = toMetadata(issuer, answer.body, policy);
    entries.delete(issuer);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(issuer, { metadata, fetchedAt: clock.now() });
    return metadata;
  }

  return {
    async get(issuer) {
      const problem = issuerUrlProblem(issuer, policy);
      if (problem) throw ssoErrors.issuerNotAllowed('issuer', issuer, problem);
      const entry = entries.get(issuer);
      if (entry && clock.now() - entry.fetchedAt < ttlMs) return entry.metadata;
      let loading = pending.get(issuer);
      if (!loading) {
        loading = load(issuer).finally(() => pending.delete(issuer));
        pending.set(issuer, loading);
      }
      try {
        return await loading;
      } catch (error) {
        // why: a provider that is briefly down should not stop sign-ins that its last document serves.
        if (entry) return entry.metadata;
        throw error;
      }
    },
  };
}
