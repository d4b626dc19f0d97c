import { describe, expect, it } from 'vitest';
import { createTokenCountMemo } from './token-count-memo.ts';

function countingEncoder() {
  const calls: string[] = [];
  return {
    calls,
    encode(text: string) {
      calls.push(text);
      return text.split(' ').length;
    },
  };
}

describe('token count memo', () => {
  it('encodes a repeated long text once and answers the same count', () => {
    const encoder = countingEncoder();
    const memo = createTokenCountMemo(encoder.encode, { minimumLength: 5, maximumCharacters: 100 });
    expect(memo.count('one two three')).toBe(3);
    expect(memo.count('one two three')).toBe(3);
    expect(encoder.calls).toEqual(['one two three']);
  });

  it('encodes short texts every time', () => {
    const encoder = countingEncoder();
    const memo = createTokenCountMemo(encoder.encode, { minimumLength: 5, maximumCharacters: 100 });
    memo.count('a b');
    memo.count('a b');
    expect(encoder.calls).toHaveLength(2);
  });

  it('never holds a text longer than its bound', () => {
    const encoder = countingEncoder();
    const memo = createTokenCountMemo(encoder.encode, { minimumLength: 1, maximumCharacters: 10 });
    const long = 'x '.repeat(20);
    memo.count(long);
    memo.count(long);
    expect(encoder.calls).toHaveLength(2);
  });

  it('forgets the least recently used text when the characters exceed the bound', () => {
    const encoder = countingEncoder();
    const memo = createTokenCountMemo(encoder.encode, { minimumLength: 1, maximumCharacters: 20 });
    memo.count('aaaa aaaa'); // 9 characters
    memo.count('bbbb bbbb'); // 18
    memo.count('aaaa aaaa'); // a hit: now the most recent
    memo.count('cccc cccc'); // 27 > 20: forgets b, the least recent
    encoder.calls.length = 0;
    memo.count('aaaa aaaa');
    memo.count('cccc cccc');
    expect(encoder.calls).toEqual([]);
    memo.count('bbbb bbbb');
    expect(encoder.calls).toEqual(['bbbb bbbb']);
  });
});
