import { PlatformError } from '../../errors/index.ts';
import type { TokenRejection, TokenRejectionReason } from './token-rejection.ts';

interface Wording {
  code: string;
  message: string;
  hint: string;
}

const idTokenWording: Record<TokenRejectionReason, Wording> = {
  malformed: {
    code: 'SSO_ID_TOKEN_MALFORMED',
    message: 'The identity provider returned an ID token that is not a well-formed signed JWT',
    hint: 'Check that the connection points at an OpenID Connect provider; sign in again.',
  },
  'algorithm-not-allowed': {
    code: 'SSO_ID_TOKEN_ALGORITHM_NOT_ALLOWED',
    message: 'The ID token is signed with an algorithm the platform does not accept',
    hint: 'Configure the provider to sign ID tokens with RS256, PS256 or ES256.',
  },
  'unknown-key': {
    code: 'SSO_ID_TOKEN_UNKNOWN_KEY',
    message: "The ID token is signed with a key the provider's JWKS does not publish",
    hint: 'Sign in again in a minute: a provider that just rotated its keys is picked up after one refetch.',
  },
  'bad-signature': {
    code: 'SSO_ID_TOKEN_BAD_SIGNATURE',
    message: 'The ID token signature does not verify: the token was altered',
    hint: 'Sign in again; if it persists, something between the platform and the provider alters tokens.',
  },
  expired: {
    code: 'SSO_ID_TOKEN_EXPIRED',
    message: 'The ID token has expired',
    hint: "Sign in again; if it persists, check that the platform's and the provider's clocks agree.",
  },
  'not-yet-valid': {
    code: 'SSO_ID_TOKEN_NOT_YET_VALID',
    message: 'The ID token is not valid yet (issued in the future)',
    hint: "Check that the platform's and the provider's clocks agree (NTP), then sign in again.",
  },
  'wrong-issuer': {
    code: 'SSO_ID_TOKEN_WRONG_ISSUER',
    message: "The ID token's issuer is not the connection's issuer",
    hint: "Set the connection's issuer to exactly the provider's issuer identifier (Entra: https://login.microsoftonline.com/{tenant id}/v2.0).",
  },
  'wrong-audience': {
    code: 'SSO_ID_TOKEN_WRONG_AUDIENCE',
    message: "The ID token was issued for another client (its audience is not the connection's client id)",
    hint: "Check the connection's client_id against the application registered at the provider.",
  },
  'claim-invalid': {
    code: 'SSO_ID_TOKEN_CLAIM_INVALID',
    message: 'The ID token has a missing or invalid claim',
    hint: 'Sign in again; the provider must send sub, iat and exp (and azp naming this client when it sends several audiences).',
  },
  'nonce-mismatch': {
    code: 'SSO_ID_TOKEN_NONCE_MISMATCH',
    message: 'The ID token does not carry the nonce of this sign-in: it belongs to another sign-in',
    hint: 'Start the sign-in again from the platform.',
  },
};

const bearerWording: Record<TokenRejectionReason, Wording> = {
  malformed: {
    code: 'BEARER_TOKEN_MALFORMED',
    message: 'The bearer token is not a well-formed signed JWT',
    hint: "Send a JWT issued by your organisation's identity provider, or a platform API key.",
  },
  'algorithm-not-allowed': {
    code: 'BEARER_TOKEN_ALGORITHM_NOT_ALLOWED',
    message: 'The bearer token is signed with an algorithm the platform does not accept',
    hint: 'Request tokens signed with RS256, PS256 or ES256 (asymmetric algorithms only).',
  },
  'unknown-key': {
    code: 'BEARER_TOKEN_UNKNOWN_KEY',
    message: "The bearer token is signed with a key the issuer's JWKS does not publish",
    hint: 'Request a new token; a key the provider just published is picked up after one refetch.',
  },
  'bad-signature': {
    code: 'BEARER_TOKEN_BAD_SIGNATURE',
    message: 'The bearer token signature does not verify',
    hint: 'Send the token exactly as the identity provider issued it.',
  },
  expired: {
    code: 'BEARER_TOKEN_EXPIRED',
    message: 'The bearer token has expired',
    hint: 'Request a new token from your identity provider and retry.',
  },
  'not-yet-valid': {
    code: 'BEARER_TOKEN_NOT_YET_VALID',
    message: 'The bearer token is not valid yet (nbf or iat in the future)',
    hint: "Check that the caller's, the provider's and the platform's clocks agree (NTP).",
  },
  'wrong-issuer': {
    code: 'BEARER_TOKEN_WRONG_ISSUER',
    message: "The bearer token's issuer is not the organisation's identity provider",
    hint: "Request the token from the issuer configured in the organisation's SSO connection (Entra: v2.0 tokens, requestedAccessTokenVersion 2).",
  },
  'wrong-audience': {
    code: 'BEARER_TOKEN_WRONG_AUDIENCE',
    message: "The bearer token's audience is not one the organisation accepts",
    hint: "Request the token for one of the connection's bearer_audiences (the resource or scope of the platform's app registration).",
  },
  'claim-invalid': {
    code: 'BEARER_TOKEN_CLAIM_INVALID',
    message: 'The bearer token has a missing or invalid claim',
    hint: 'The token must carry iss, sub, aud and exp.',
  },
  'nonce-mismatch': {
    code: 'BEARER_TOKEN_CLAIM_INVALID',
    message: 'The bearer token has an unexpected nonce',
    hint: 'Send an access token, not an ID token of a sign-in.',
  },
};

function toError(wording: Wording, rejection: TokenRejection): PlatformError {
  return new PlatformError({
    code: wording.code,
    message: `${wording.message} (${rejection.detail}).`,
    hint: wording.hint,
    status: 401,
    category: 'user',
    type: 'authentication_error',
    cause: rejection,
  });
}

/** The coded error of a refused ID token during sign-in. */
export function idTokenError(rejection: TokenRejection): PlatformError {
  return toError(idTokenWording[rejection.reason], rejection);
}

/** The coded error of a refused bearer JWT on the API. */
export function bearerTokenError(rejection: TokenRejection): PlatformError {
  return toError(bearerWording[rejection.reason], rejection);
}
