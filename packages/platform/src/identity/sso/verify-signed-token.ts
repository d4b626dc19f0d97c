import { decodeProtectedHeader, errors, type JWSHeaderParameters, type JWTPayload, jwtVerify } from 'jose';
import type { JsonWebKeySetCache } from './json-web-key-sets.ts';
import { TokenRejection } from './token-rejection.ts';

/** Asymmetric algorithms only: a symmetric one would let anyone holding the client secret sign. */
export const acceptedSigningAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export interface SignedTokenExpectations {
  jwksUri: string;
  issuer: string;
  /** The token's `aud` must contain at least one of these. */
  audiences: readonly string[];
  algorithms: readonly string[];
  /** Epoch ms, from the injected clock. */
  now: number;
  clockSkewSeconds: number;
  requiredClaims: readonly string[];
}

export interface VerifiedToken {
  header: JWSHeaderParameters;
  payload: JWTPayload;
}

function rejectionOf(error: unknown): TokenRejection {
  if (error instanceof TokenRejection) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejection('expired', 'exp is in the past');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new TokenRejection('wrong-issuer', 'iss does not match');
    if (error.claim === 'aud') return new TokenRejection('wrong-audience', 'aud does not match');
    if (error.claim === 'nbf') return new TokenRejection('not-yet-valid', 'nbf is in the future');
    return new TokenRejection(
      'claim-invalid',
      `${error.claim} ${error.reason === 'missing' ? 'is missing' : 'is invalid'}`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TokenRejection('bad-signature', 'signature check failed');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenRejection('algorithm-not-allowed', 'the algorithm is not accepted');
  }
  if (error instanceof errors.JOSEError) return new TokenRejection('malformed', error.code);
  throw error;
}

/**
 * Verifies a provider-signed JWT: the algorithm is one we accept, the signature is by a key the
 * issuer publishes, then `iss`, `aud`, `exp` and `nbf` (with clock skew) and the required claims.
 * `iat` in the future is refused too. Throws a `TokenRejection` naming the first failed check.
 */
export async function verifySignedToken(
  token: string,
  keys: JsonWebKeySetCache,
  expectations: SignedTokenExpectations,
): Promise<VerifiedToken> {
  let header: JWSHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenRejection('malformed', 'the header does not decode');
  }
  if (token.split('.').length !== 3) throw new TokenRejection('malformed', 'not a compact JWS');
  if (typeof header.alg !== 'string' || !expectations.algorithms.includes(header.alg)) {
    throw new TokenRejection(
      'algorithm-not-allowed',
      `alg '${String(header.alg).slice(0, 20)}' is not accepted`,
    );
  }
  const candidates = await keys.keysFor(expectations.jwksUri, header);
  let lastFailure: unknown = new TokenRejection('bad-signature', 'signature check failed');
  for (const key of candidates) {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [...expectations.algorithms],
        issuer: expectations.issuer,
        audience: [...expectations.audiences],
        currentDate: new Date(expectations.now),
        clockTolerance: expectations.clockSkewSeconds,
        requiredClaims: [...expectations.requiredClaims],
      });
      if (
        typeof payload.iat === 'number' &&
        payload.iat > expectations.now / 1000 + expectations.clockSkewSeconds
      ) {
        throw new TokenRejection('not-yet-valid', 'iat is in the future');
      }
      return { header, payload };
    } catch (error) {
      lastFailure = error;
      // why: with several candidate keys (no kid), only a signature failure means "try the next".
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) break;
    }
  }
  throw rejectionOf(lastFailure);
}
