import { PlatformError } from '../../errors/index.ts';

function providerFailure(code: string, message: string, hint: string, cause?: unknown): PlatformError {
  return new PlatformError({
    code,
    message,
    hint,
    status: 502,
    category: 'provider',
    type: 'api_error',
    retryable: true,
    ...(cause === undefined ? {} : { cause }),
  });
}

function signInRefusal(code: string, message: string, hint: string, status = 400): PlatformError {
  return new PlatformError({
    code,
    message,
    hint,
    status,
    category: 'user',
    type:
      status === 403 ? 'permission_error' : status === 401 ? 'authentication_error' : 'invalid_request_error',
  });
}

/** What the provider said, shortened, for messages (never a secret: it comes from the provider). */
function quoted(text: string): string {
  return JSON.stringify(text.slice(0, 200));
}

/** The coded errors of single sign-on, each with a recovery hint. */
export const ssoErrors = {
  notConfigured(): PlatformError {
    return new PlatformError({
      code: 'SSO_NOT_CONFIGURED',
      message: 'This organisation has no single sign-on connection.',
      hint: 'An organisation administrator sets one up first (docs/sso.md).',
      status: 404,
      category: 'user',
      type: 'not_found_error',
    });
  },
  issuerNotAllowed(field: string, url: string, problem: string): PlatformError {
    return new PlatformError({
      code: 'SSO_ISSUER_NOT_ALLOWED',
      message: `The ${field} '${url.slice(0, 200)}' ${problem}.`,
      hint: 'Use the https issuer URL of the identity provider (Entra: https://login.microsoftonline.com/{tenant id}/v2.0).',
      param: field,
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  clientSecretRequired(): PlatformError {
    return new PlatformError({
      code: 'SSO_CLIENT_SECRET_REQUIRED',
      message: 'A new SSO connection needs a client_secret.',
      hint: "Send the client secret of the application registered at the provider (Entra: 'Certificates & secrets').",
      param: 'client_secret',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  returnPathInvalid(): PlatformError {
    return new PlatformError({
      code: 'SSO_RETURN_PATH_INVALID',
      message: 'The return path must be a path on this platform, starting with a single /.',
      hint: "Send a relative path such as '/dashboard', or none.",
      param: 'return_to',
      status: 400,
      category: 'user',
      type: 'invalid_request_error',
    });
  },
  discoveryFailed(issuer: string, detail: string, cause?: unknown): PlatformError {
    return providerFailure(
      'SSO_DISCOVERY_FAILED',
      `The identity provider's discovery document at ${issuer} could not be read: ${detail}.`,
      "Check the connection's issuer and that the provider is reachable from the platform; then retry.",
      cause,
    );
  },
  providerMetadataInvalid(issuer: string, detail: string): PlatformError {
    return new PlatformError({
      code: 'SSO_PROVIDER_METADATA_INVALID',
      message: `The identity provider at ${issuer} published unusable metadata: ${detail}.`,
      hint: "Set the connection's issuer to exactly the 'issuer' of the provider's discovery document.",
      status: 502,
      category: 'provider',
      type: 'api_error',
    });
  },
  keysUnavailable(jwksUri: string, detail: string, cause?: unknown): PlatformError {
    return providerFailure(
      'SSO_JWKS_UNAVAILABLE',
      `The identity provider's signing keys at ${jwksUri} could not be read: ${detail}.`,
      'Retry; check that the provider is reachable from the platform.',
      cause,
    );
  },
  stateInvalid(): PlatformError {
    return signInRefusal(
      'SSO_STATE_INVALID',
      'This sign-in response is unknown, already used or expired.',
      'Start the sign-in again from the platform; a sign-in link works once and for 10 minutes.',
    );
  },
  browserMismatch(): PlatformError {
    return signInRefusal(
      'SSO_BROWSER_MISMATCH',
      'This sign-in was started in another browser.',
      'Start the sign-in again in this browser (cookies must be enabled for the platform).',
    );
  },
  connectionChanged(): PlatformError {
    return signInRefusal(
      'SSO_CONNECTION_CHANGED',
      "The organisation's SSO connection changed while this sign-in was in progress.",
      'Start the sign-in again.',
    );
  },
  issuerResponseMismatch(): PlatformError {
    return signInRefusal(
      'SSO_ISSUER_RESPONSE_MISMATCH',
      "The sign-in response names another issuer than the organisation's provider (a mix-up).",
      'Start the sign-in again from the platform.',
    );
  },
  providerDenied(error: string, description: string | undefined): PlatformError {
    return signInRefusal(
      'SSO_PROVIDER_DENIED',
      `The identity provider ended the sign-in with ${quoted(error)}${description ? `: ${quoted(description)}` : ''}.`,
      'Sign in again; if the provider refuses you, ask its administrator to assign you to the application.',
      401,
    );
  },
  callbackInvalid(detail: string): PlatformError {
    return signInRefusal(
      'SSO_CALLBACK_INVALID',
      `The sign-in response is incomplete: ${detail}.`,
      'Start the sign-in again from the platform.',
    );
  },
  authorizationCodeInvalid(description: string | undefined): PlatformError {
    return signInRefusal(
      'SSO_AUTHORIZATION_CODE_INVALID',
      `The identity provider refused the authorization code${description ? `: ${quoted(description)}` : ''}.`,
      'Start the sign-in again; a code works once and only for a short while.',
    );
  },
  clientAuthenticationFailed(description: string | undefined): PlatformError {
    return new PlatformError({
      code: 'SSO_CLIENT_AUTHENTICATION_FAILED',
      message: `The identity provider refused the platform's client credentials${description ? `: ${quoted(description)}` : ''}.`,
      hint: "An organisation administrator checks the connection's client_id, client_secret (expired?) and token_endpoint_auth_method.",
      status: 502,
      category: 'provider',
      type: 'api_error',
    });
  },
  tokenExchangeFailed(detail: string, cause?: unknown): PlatformError {
    return providerFailure(
      'SSO_TOKEN_EXCHANGE_FAILED',
      `The identity provider's token endpoint failed: ${detail}.`,
      'Retry the sign-in; check that the provider is reachable from the platform.',
      cause,
    );
  },
  groupsNotInline(claim: string): PlatformError {
    return signInRefusal(
      'SSO_GROUPS_NOT_INLINE',
      `The provider left the '${claim}' claim out of the token (too many groups: it points elsewhere instead).`,
      'At the provider, emit only the groups assigned to the application, or map app roles (Entra: the roles claim).',
      403,
    );
  },
  roleNotMapped(): PlatformError {
    return signInRefusal(
      'SSO_ROLE_NOT_MAPPED',
      'None of your groups or roles is mapped to a role in this organisation, and it has no default role.',
      "Ask an organisation administrator to map one of your groups in the connection's role_mapping.",
      403,
    );
  },
  signInRefused(reason: string): PlatformError {
    return signInRefusal(
      'SSO_SIGN_IN_REFUSED',
      `The organisation refused the sign-in: ${reason.slice(0, 200)}.`,
      'Ask an organisation administrator for access.',
      403,
    );
  },
  bearerNotAccepted(): PlatformError {
    return new PlatformError({
      code: 'BEARER_TOKEN_NOT_ACCEPTED',
      message: 'The organisation does not accept bearer JWTs from its identity provider.',
      hint: "An organisation administrator lists the accepted audiences in the SSO connection's bearer_audiences.",
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
  bearerAmbiguous(): PlatformError {
    return new PlatformError({
      code: 'BEARER_TOKEN_AMBIGUOUS',
      message: 'Several organisations accept bearer tokens from this issuer for this audience.',
      hint: 'Name the organisation with the request, or give each organisation its own audience.',
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
  bearerRoleNotMapped(): PlatformError {
    return new PlatformError({
      code: 'BEARER_TOKEN_ROLE_NOT_MAPPED',
      message:
        "None of the token's groups or roles is mapped to a role in the organisation, and it has no default role.",
      hint: "Assign the workload an app role (or group) that the connection's role_mapping maps.",
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
};
