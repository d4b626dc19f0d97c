import { describe, expect, it } from 'vitest';
import { chunkPointId, nameBasedUuid } from './point-id.ts';

describe('chunk point ids', () => {
  it('follow RFC 9562 version 5 (the RFC’s DNS-namespace example)', () => {
    expect(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('are UUIDs, the same for the same chunk and different for different chunks', () => {
    const first = chunkPointId('kchunk_abc_0');
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chunkPointId('kchunk_abc_0')).toBe(first);
    expect(chunkPointId('kchunk_abc_1')).not.toBe(first);
    expect(chunkPointId('')).not.toBe(first);
  });

  it('refuse a namespace that is not a UUID', () => {
    expect(() => nameBasedUuid('not-a-uuid', 'x')).toThrow(/not a UUID/);
  });
});
