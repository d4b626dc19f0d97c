import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseMasterKey } from './secret-box.ts';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips, with a fresh IV every time', () => {
    const first = box.seal('sk-provider-secret', 'org_1/openai');
    const second = box.seal('sk-provider-secret', 'org_1/openai');
    expect(first).not.toBe(second);
    expect(first).not.toContain('sk-provider-secret');
    expect(box.open(first, 'org_1/openai')).toBe('sk-provider-secret');
  });

  it('refuses a value moved to another organisation, altered, or sealed under another key', () => {
    const sealed = box.seal('sk-provider-secret', 'org_1/openai');
    expect(() => box.open(sealed, 'org_2/openai')).toThrow();
    const parts = sealed.split(':');
    const altered = [...parts.slice(0, 4), Buffer.from('tampered').toString('base64')].join(':');
    expect(() => box.open(altered, 'org_1/openai')).toThrow();
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(sealed, 'org_1/openai')).toThrow(/sealed under master key/);
  });

  it('parses hex and base64 master keys and rejects other lengths', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('hex'))).toEqual(key);
    expect(parseMasterKey(key.toString('base64'))).toEqual(key);
    expect(() => parseMasterKey('too-short')).toThrow(/32 bytes/);
  });
});
