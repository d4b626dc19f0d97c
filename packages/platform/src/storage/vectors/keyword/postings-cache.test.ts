import { describe, expect, it } from 'vitest';
import { createPostingsCache } from './postings-cache.ts';
import type { PostingList } from './postings-codec.ts';

const list = (size: number): PostingList => ({
  numbers: new Float64Array(size),
  frequencies: new Uint16Array(size),
  lengths: new Uint16Array(size),
});

describe('postings cache', () => {
  it('keeps the most recently used lists within its byte budget', () => {
    const cache = createPostingsCache(3000);
    cache.set('s1', 'wing', list(100)); // 1,200 bytes of postings
    cache.set('s1', 'flow', list(100));
    expect(cache.get('s1', 'wing')).toBeDefined(); // now the most recent
    cache.set('s2', 'heat', list(100));
    expect(cache.bytes).toBeLessThanOrEqual(3000);
    expect(cache.get('s1', 'flow')).toBeUndefined();
    expect(cache.get('s1', 'wing')?.numbers.length).toBe(100);
    expect(cache.get('s2', 'heat')?.numbers.length).toBe(100);
  });

  it('remembers that a segment lacks a lexeme, and skips lists larger than the budget', () => {
    const cache = createPostingsCache(2000);
    cache.set('s1', 'absent', null);
    expect(cache.get('s1', 'absent')?.numbers.length).toBe(0);
    cache.set('s1', 'huge', list(1000));
    expect(cache.get('s1', 'huge')).toBeUndefined();
  });
});
