import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/index.ts';
import { sampleFromPattern } from './regex-sample.ts';

const unbounded = { minimumLength: 0, maximumLength: Number.POSITIVE_INFINITY };

describe('sampleFromPattern', () => {
  it.each([
    '^\\d{3}-\\d{2}$',
    '^[a-z]+$',
    '^[A-Za-z_][A-Za-z0-9_]*$',
    '^(GET|POST|PUT)$',
    '^v\\d+\\.\\d+\\.\\d+$',
    '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
    '^#[0-9a-fA-F]{6}$',
    'needle',
    '^\\w{4,8}$',
    '^[\\d-]+$',
  ])('generates strings that match %s', (pattern) => {
    const expression = new RegExp(pattern, 'u');
    for (let seed = 1; seed <= 25; seed += 1) {
      const sample = sampleFromPattern(pattern, seededRandom(seed), unbounded);
      expect(sample, `seed ${seed}`).toBeDefined();
      expect(expression.test(sample ?? '')).toBe(true);
    }
  });

  it('keeps to length bounds', () => {
    const sample = sampleFromPattern('^[a-z]+$', seededRandom(9), { minimumLength: 3, maximumLength: 4 });
    expect(sample).toMatch(/^[a-z]{3,4}$/);
  });

  it('gives up on features it cannot generate for instead of returning a non-match', () => {
    expect(sampleFromPattern('^(?=.*\\d)\\w+$', seededRandom(1), unbounded)).toBeUndefined();
    expect(sampleFromPattern('^(a)\\1$', seededRandom(1), unbounded)).toBeUndefined();
    expect(sampleFromPattern('[', seededRandom(1), unbounded)).toBeUndefined();
  });
});
