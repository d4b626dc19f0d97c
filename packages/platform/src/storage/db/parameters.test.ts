import { describe, expect, it } from 'vitest';
import { toParameterText, toParameterTexts } from './parameters.ts';

describe('toParameterText', () => {
  it('turns scalars into Postgres text input', () => {
    expect(toParameterTexts(['a', 1.5, 10n, true, false, null, undefined])).toEqual([
      'a',
      '1.5',
      '10',
      'true',
      'false',
      null,
      null,
    ]);
    expect(toParameterText(new Date('2024-01-02T03:04:05.006Z'), 1)).toBe('2024-01-02T03:04:05.006Z');
    expect(toParameterText(Buffer.from([0, 171, 255]), 1)).toBe('\\x00abff');
    expect(toParameterText(new Uint8Array([1, 2, 3]).subarray(1), 1)).toBe('\\x0203');
  });

  it('writes array literals with every element quoted and NULL bare', () => {
    expect(toParameterText(['a"b', 'c\\d', null, '', 'NULL'], 1)).toBe('{"a\\"b","c\\\\d",NULL,"","NULL"}');
    expect(
      toParameterText(
        [
          [1, 2],
          [3, null],
        ],
        1,
      ),
    ).toBe('{{"1","2"},{"3",NULL}}');
    expect(toParameterText([], 1)).toBe('{}');
  });

  it('refuses objects and invalid dates, naming the parameter', () => {
    expect(() => toParameterTexts(['x', { a: 1 }])).toThrow(/Parameter \$2 is a Object.*JSON\.stringify/);
    expect(() => toParameterText(new Map(), 3)).toThrow(/Parameter \$3 is a Map/);
    expect(() => toParameterText(new Date(Number.NaN), 1)).toThrow(/invalid Date/);
  });
});
