import { describe, expect, it } from 'vitest';
import { formatPrice, formatUsd } from './format.ts';

describe('formatUsd and formatPrice', () => {
  it('rounds cents, keeps two significant digits below a cent, strips zeros from prices', () => {
    expect(['12.3456', '0.002', '0.000047123', '0', '0.0000000001'].map(formatUsd)).toEqual([
      '$12.35',
      '$0.002',
      '$0.000047',
      '$0',
      '<$0.000001',
    ]);
    expect(['0.100000000000', '10.000000000000', '3'].map(formatPrice)).toEqual(['0.1', '10', '3']);
  });
});
