import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueCsrfToken, verifyCsrf } from './csrf.ts';
import { deriveSessionKeys } from './session-keys.ts';

const keys = deriveSessionKeys([randomBytes(32)]).csrfKeys;
const key = keys[0]!;

function check(overrides: Partial<Parameters<typeof verifyCsrf>[0]>, token = issueCsrfToken('ses_a', key)) {
  return () =>
    verifyCsrf(
      { method: 'POST', sessionId: 'ses_a', cookieToken: token, headerToken: token, ...overrides },
      keys,
    );
}

describe('CSRF check for cookie-authenticated mutations', () => {
  it('accepts a mutation whose header repeats the session-bound cookie', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) expect(check({ method })).not.toThrow();
  });

  it('does not ask safe methods for a token', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(check({ method, cookieToken: undefined, headerToken: undefined })).not.toThrow();
    }
  });

  it('refuses a mutation without the header or without the cookie', () => {
    expect(check({ headerToken: undefined })).toThrow(
      expect.objectContaining({ code: 'CSRF_TOKEN_MISSING', status: 403 }),
    );
    expect(check({ cookieToken: undefined })).toThrow(
      expect.objectContaining({ code: 'CSRF_TOKEN_MISSING' }),
    );
    expect(check({ headerToken: '' })).toThrow(expect.objectContaining({ code: 'CSRF_TOKEN_MISSING' }));
  });

  it('refuses a header that differs from the cookie', () => {
    const other = issueCsrfToken('ses_a', key);
    expect(check({ headerToken: other })).toThrow(expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }));
  });

  it('refuses a matching pair that belongs to another session, or was made up', () => {
    const attackers = issueCsrfToken('ses_attacker', key);
    expect(check({}, attackers)).toThrow(expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }));
    expect(check({}, 'made.up')).toThrow(expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }));
    expect(check({}, 'no-dot')).toThrow(expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }));
    expect(check({}, `${issueCsrfToken('ses_a', key)}.extra`)).toThrow(
      expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }),
    );
    const foreignKey = deriveSessionKeys([randomBytes(32)]).csrfKeys[0]!;
    expect(check({}, issueCsrfToken('ses_a', foreignKey))).toThrow(
      expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }),
    );
  });

  it('keeps accepting tokens of the previous master key while it is being rotated', () => {
    const previous = randomBytes(32);
    const oldToken = issueCsrfToken('ses_a', deriveSessionKeys([previous]).csrfKeys[0]!);
    const rotated = deriveSessionKeys([randomBytes(32), previous]).csrfKeys;
    expect(() =>
      verifyCsrf(
        { method: 'POST', sessionId: 'ses_a', cookieToken: oldToken, headerToken: oldToken },
        rotated,
      ),
    ).not.toThrow();
  });

  it('derives distinct keys per purpose and refuses a short master key', () => {
    const derived = deriveSessionKeys([randomBytes(32)]);
    expect(
      Buffer.from(derived.accessTokenKeys[0]!.secret).equals(Buffer.from(derived.csrfKeys[0]!.secret)),
    ).toBe(false);
    expect(() => deriveSessionKeys([randomBytes(16)])).toThrow(/32 bytes/);
    expect(() => deriveSessionKeys([])).toThrow(/master key/);
  });
});
