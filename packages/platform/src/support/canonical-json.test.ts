import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe('{"a":[{"c":2}],"b":1}');
    expect(canonicalJson({ z: null, y: 'text', x: [undefined, true] })).toBe(
      '{"x":[null,true],"y":"text","z":null}',
    );
  });

  it('gives the same text whatever order the fields arrived in', () => {
    expect(canonicalJson({ one: 1, two: { b: 2, a: 1 } })).toBe(
      canonicalJson({ two: { a: 1, b: 2 }, one: 1 }),
    );
  });
});
