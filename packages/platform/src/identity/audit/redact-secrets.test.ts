import { describe, expect, it } from 'vitest';
import { isSecretName, redactedMarker, redactSecrets } from './redact-secrets.ts';

describe('redactSecrets', () => {
  it('replaces fields named like secrets, at any depth and in any spelling', () => {
    const redacted = redactSecrets({
      name: 'kept',
      secret: 'tool-signing-secret',
      secret_hash: 'abc123',
      secretHash: 'abc123',
      sealed_secret: 'v1:iv:tag:data',
      sealedHeaders: 'v1:…',
      api_key: 'provider-key-value',
      'API-Key': 'provider-key-value',
      webhook_secret: 'whsec_value',
      password: 'hunter2',
      nested: { list: [{ access_token: 'token-value', refresh_token: 'token-value' }] },
      authorization: 'anything',
    });
    expect(redacted).toEqual({
      name: 'kept',
      secret: redactedMarker,
      secret_hash: redactedMarker,
      secretHash: redactedMarker,
      sealed_secret: redactedMarker,
      sealedHeaders: redactedMarker,
      api_key: redactedMarker,
      'API-Key': redactedMarker,
      webhook_secret: redactedMarker,
      password: redactedMarker,
      nested: { list: [{ access_token: redactedMarker, refresh_token: redactedMarker }] },
      authorization: redactedMarker,
    });
  });

  it('keeps the names of headers and drops their values', () => {
    expect(redactSecrets({ headers: { Authorization: 'Bearer abc', 'X-Tenant': 'plain' } })).toEqual({
      headers: { Authorization: redactedMarker, 'X-Tenant': redactedMarker },
    });
    expect(redactSecrets({ request_headers: 'a string' })).toEqual({ request_headers: redactedMarker });
  });

  it('replaces values shaped like keys or credentials wherever they are', () => {
    expect(
      redactSecrets({
        note: 'sk-kimi-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd',
        list: ['sk-proj-0123456789abcdef', 'Bearer eyJhbGciOi', 'Basic dXNlcjpwYXNz', 'short sk-'],
        url: 'https://user:p4ssw0rd@example.com/hook?x=1',
      }),
    ).toEqual({
      note: redactedMarker,
      list: [redactedMarker, redactedMarker, redactedMarker, 'short sk-'],
      url: `https://user:${encodeURIComponent(redactedMarker)}@example.com/hook?x=1`,
    });
  });

  it('keeps what is not secret, and leaves names that merely contain a secret word', () => {
    const summary = {
      id: 'key_1',
      display_prefix: 'sk-kimi-AB…',
      tokens_per_minute: 1000,
      max_tokens: 50,
      key_id: 'key_2',
      header_names: ['Authorization'],
      enabled: true,
      limit_usd: '10',
      created_at: new Date('2026-01-02T03:04:05.678Z'),
      nothing: undefined,
    };
    expect(redactSecrets(summary)).toEqual({
      id: 'key_1',
      display_prefix: 'sk-kimi-AB…',
      tokens_per_minute: 1000,
      max_tokens: 50,
      key_id: 'key_2',
      header_names: ['Authorization'],
      enabled: true,
      limit_usd: '10',
      created_at: '2026-01-02T03:04:05.678Z',
    });
  });

  it('stores what jsonb can hold: undefined is null, NUL and lone surrogates are replaced', () => {
    expect(redactSecrets(undefined)).toBeNull();
    expect(redactSecrets({ text: 'a\u0000b\uD800c' })).toEqual({ text: 'a\uFFFDb\uFFFDc' });
  });

  it('names secrets by their normalised field name', () => {
    for (const name of [
      'secret',
      'clientSecret',
      'key_hash',
      'sealed_value',
      'id_token',
      'Cookie',
      'privateKey',
    ]) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['name', 'token_count', 'tokens_per_minute', 'key_id', 'display_prefix', 'url']) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});
