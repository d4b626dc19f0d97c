import { timingSafeEqual } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { IdentityProviders } from './identity-providers.ts';
import type { ProviderMetadata } from './provider-metadata.ts';
import { ssoErrors } from './sso-errors.ts';
import { TokenRejection } from './token-rejection.ts';
import { acceptedSigningAlgorithms, verifySignedToken } from './verify-signed-token.ts';

export interface IdTokenExpectations {
  clientId: string;
  nonce: string;
  now: number;
  clockSkewSeconds: number;
}

/** The algorithms both the provider announces and the platform accepts (RS256 where it is silent). */
export function idTokenAlgorithms(metadata: ProviderMetadata): string[] {
  const announced = metadata.idTokenSigningAlgorithms ?? ['RS256'];
  const usable = announced.filter((algorithm) =>
    (acceptedSigningAlgorithms as readonly string[]).includes(algorithm),
  );
  if (usable.length === 0) {
    throw ssoErrors.providerMetadataInvalid(
      metadata.issuer,
      'it signs ID tokens only with algorithms the platform refuses',
    );
  }
  return usable;
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * OpenID Connect Core 3.1.3.7: signature by a key of the issuer's JWKS, `iss` identical, `aud`
 * contains our client id, `azp` (when present, and required with several audiences) is our client
 * id, `exp` and `iat` with clock skew, and the `nonce` of this sign-in. Throws a `TokenRejection`.
 */
export async function validateIdToken(
  idToken: string,
  providers: IdentityProviders,
  metadata: ProviderMetadata,
  expectations: IdTokenExpectations,
): Promise<JWTPayload> {
  const { payload } = await verifySignedToken(idToken, providers.keys, {
    jwksUri: metadata.jwksUri,
    issuer: metadata.issuer,
    audiences: [expectations.clientId],
    algorithms: idTokenAlgorithms(metadata),
    now: expectations.now,
    clockSkewSeconds: expectations.clockSkewSeconds,
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
  });
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
    throw new TokenRejection('claim-invalid', 'sub is not a string of 1 to 255 characters');
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (payload.azp !== undefined && payload.azp !== expectations.clientId) {
    throw new TokenRejection('wrong-audience', 'azp names another client');
  }
  if (audiences.length > 1 && payload.azp === undefined) {
    throw new TokenRejection('claim-invalid', 'azp is missing while aud names several clients');
  }
  if (typeof payload.nonce !== 'string' || !sameText(payload.nonce, expectations.nonce)) {
    throw new TokenRejection('nonce-mismatch', 'nonce differs');
  }
  return payload;
}
