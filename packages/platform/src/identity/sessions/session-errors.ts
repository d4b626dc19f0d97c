import { PlatformError } from '../../errors/index.ts';

function unauthenticated(code: string, message: string, hint: string): PlatformError {
  return new PlatformError({
    code,
    message,
    hint,
    status: 401,
    category: 'user',
    type: 'authentication_error',
  });
}

/** The coded errors of browser sessions and CSRF checks, each with a recovery hint. */
export const sessionErrors = {
  accessTokenInvalid(): PlatformError {
    return unauthenticated(
      'SESSION_ACCESS_TOKEN_INVALID',
      'The session token is not valid.',
      'Sign in again.',
    );
  },
  accessTokenExpired(): PlatformError {
    return unauthenticated(
      'SESSION_ACCESS_TOKEN_EXPIRED',
      'The session token has expired.',
      'Refresh the session (the dashboard does it for you), or sign in again.',
    );
  },
  revoked(): PlatformError {
    return unauthenticated('SESSION_REVOKED', 'This session has been signed out.', 'Sign in again.');
  },
  expired(): PlatformError {
    return unauthenticated('SESSION_EXPIRED', 'This session has ended (idle or too old).', 'Sign in again.');
  },
  refreshTokenInvalid(): PlatformError {
    return unauthenticated(
      'SESSION_REFRESH_TOKEN_INVALID',
      'The refresh token is not valid.',
      'Sign in again.',
    );
  },
  refreshTokenReused(): PlatformError {
    return unauthenticated(
      'SESSION_REFRESH_TOKEN_REUSED',
      'A refresh token was used twice, so the session was signed out everywhere (it may have been stolen).',
      'Sign in again; if this repeats, check the device and browser extensions for what copies cookies.',
    );
  },
  refreshTokenSuperseded(): PlatformError {
    return new PlatformError({
      code: 'SESSION_REFRESH_TOKEN_SUPERSEDED',
      message: 'The session was refreshed a moment ago by another request (another tab).',
      hint: 'Retry the request: the browser now holds the newer session cookies.',
      status: 409,
      category: 'user',
      type: 'invalid_request_error',
      retryable: true,
      retryAfterMs: 1000,
    });
  },
  membershipEnded(): PlatformError {
    return new PlatformError({
      code: 'SESSION_MEMBERSHIP_ENDED',
      message: 'You are no longer a member of this organisation, so the session was signed out.',
      hint: 'Ask an organisation administrator for access.',
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
  csrfTokenMissing(): PlatformError {
    return new PlatformError({
      code: 'CSRF_TOKEN_MISSING',
      message: 'This request changes data with session cookies but carries no CSRF token.',
      hint: "Send the value of the '__Host-kimi-csrf' cookie in the 'x-csrf-token' header.",
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
  csrfTokenInvalid(): PlatformError {
    return new PlatformError({
      code: 'CSRF_TOKEN_INVALID',
      message: 'The CSRF token does not belong to this session.',
      hint: "Reload the page to read the current '__Host-kimi-csrf' cookie, and send it in 'x-csrf-token'.",
      status: 403,
      category: 'user',
      type: 'permission_error',
    });
  },
};
