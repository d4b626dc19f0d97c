import { PlatformError } from '../../errors/index.ts';

/** The coded errors of the sign-in surface itself (the protocol's own are `SSO_*` and `SESSION_*`). */
export const signInErrors = {
  unavailable(): PlatformError {
    return new PlatformError({
      code: 'SIGN_IN_UNAVAILABLE',
      message: 'Single sign-on and browser sessions are off: no master key is configured.',
      hint: 'Set KIMI_MASTER_KEY (32 bytes as hex or base64, e.g. `openssl rand -hex 32`) on every instance.',
      status: 503,
      category: 'system',
      type: 'api_error',
    });
  },
  refreshTokenMissing(): PlatformError {
    return new PlatformError({
      code: 'SESSION_REFRESH_TOKEN_MISSING',
      message: 'The request carries no refresh-token cookie.',
      hint: 'Sign in again (the refresh cookie is sent only to /v1/auth).',
      status: 401,
      category: 'user',
      type: 'authentication_error',
    });
  },
};
