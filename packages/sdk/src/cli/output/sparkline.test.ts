import { describe, expect, it } from 'vitest';
import { daysBetween, sparkline } from './sparkline.ts';

describe('sparkline', () => {
  it('scales to the largest value, one character per value', () => {
    expect(sparkline([1, 2, 4, 8])).toBe('▁▂▄█');
  });

  it('shows idle days as gaps, and all-zero series as the lowest bar', () => {
    expect(sparkline([0, 5, 0, 10])).toBe(' ▄ █');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });
});

describe('daysBetween', () => {
  it('lists every UTC day in the range, both ends included', () => {
    expect(daysBetween(new Date('2026-02-27T10:00:00Z'), new Date('2026-03-02T01:00:00Z'))).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});
