/** Why a provider-signed JWT (an ID token or a bearer token) was refused. */
export type TokenRejectionReason =
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'claim-invalid'
  | 'nonce-mismatch';

/**
 * Thrown inside this room by the JWT checks; the sign-in and the bearer verifier turn it into the
 * coded error of their surface (`SSO_ID_TOKEN_*`, `BEARER_TOKEN_*`).
 */
export class TokenRejection extends Error {
  constructor(
    readonly reason: TokenRejectionReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'TokenRejection';
  }
}
