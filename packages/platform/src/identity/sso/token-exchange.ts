import { z } from 'zod';
import { fetchProviderJson, type ProviderFetch } from './provider-fetch.ts';
import type { ProviderMetadata } from './provider-metadata.ts';
import type { SsoConnection } from './sso-connection-schema.ts';
import { ssoErrors } from './sso-errors.ts';

const tokenAnswerSchema = z.object({ id_token: z.string().min(1) });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().nullish() });

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/** RFC 6749 2.3.1: the client id and secret are form-encoded before they are joined for Basic. */
function formEncoded(value: string): string {
  return new URLSearchParams({ value }).toString().slice('value='.length);
}

/** Redeems an authorization code at the token endpoint (with the PKCE verifier); the ID token. */
export async function exchangeAuthorizationCode(
  fetch: ProviderFetch,
  metadata: ProviderMetadata,
  connection: SsoConnection,
  exchange: CodeExchange,
  timeoutMs: number,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    code_verifier: exchange.codeVerifier,
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (connection.tokenEndpointAuthMethod === 'client_secret_basic') {
    const credentials = `${formEncoded(connection.clientId)}:${formEncoded(connection.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  } else {
    form.set('client_id', connection.clientId);
    form.set('client_secret', connection.clientSecret);
  }
  const answer = await fetchProviderJson(
    fetch,
    metadata.tokenEndpoint,
    { method: 'POST', headers, body: form.toString() },
    timeoutMs,
  );
  if (!answer.ok) throw ssoErrors.tokenExchangeFailed(answer.detail, answer.cause);
  if (answer.status === 200) {
    const parsed = tokenAnswerSchema.safeParse(answer.body);
    if (parsed.success) return parsed.data.id_token;
    throw ssoErrors.tokenExchangeFailed('the answer has no id_token (is openid among the scopes?)');
  }
  const failure = tokenErrorSchema.safeParse(answer.body);
  if (!failure.success) throw ssoErrors.tokenExchangeFailed(`HTTP ${answer.status}`);
  const description = failure.data.error_description ?? undefined;
  if (failure.data.error === 'invalid_grant') throw ssoErrors.authorizationCodeInvalid(description);
  if (failure.data.error === 'invalid_client' || failure.data.error === 'unauthorized_client') {
    throw ssoErrors.clientAuthenticationFailed(description);
  }
  throw ssoErrors.tokenExchangeFailed(
    `HTTP ${answer.status} ${JSON.stringify(failure.data.error.slice(0, 100))}`,
  );
}
