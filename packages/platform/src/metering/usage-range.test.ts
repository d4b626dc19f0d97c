import { describe, expect, it } from 'vitest';
import { type Span, splitUsageRange } from './usage-range.ts';

const at = (text: string) => Date.parse(text);
const spans = (...pairs: Array<[string, string]>): Span[] => pairs.map(([from, to]) => [at(from), at(to)]);

describe('splitUsageRange', () => {
  it('reads whole days from days, the hours around them from hours, and the partial hours from records', () => {
    expect(splitUsageRange(at('2026-03-01T10:17:00Z'), at('2026-03-04T05:30:00Z'))).toEqual({
      days: spans(['2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z']),
      hours: spans(
        ['2026-03-01T11:00:00Z', '2026-03-02T00:00:00Z'],
        ['2026-03-04T00:00:00Z', '2026-03-04T05:00:00Z'],
      ),
      records: spans(
        ['2026-03-01T10:17:00Z', '2026-03-01T11:00:00Z'],
        ['2026-03-04T05:00:00Z', '2026-03-04T05:30:00Z'],
      ),
    });
  });

  it('needs no records for an hour-aligned range and no hours for a day-aligned one', () => {
    expect(splitUsageRange(at('2026-03-01T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toEqual({
      days: spans(['2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z']),
      hours: [],
      records: [],
    });
    expect(splitUsageRange(at('2026-03-01T03:00:00Z'), at('2026-03-01T09:00:00Z'))).toEqual({
      days: [],
      hours: spans(['2026-03-01T03:00:00Z', '2026-03-01T09:00:00Z']),
      records: [],
    });
  });

  it('reads a range without a whole hour from the records alone', () => {
    expect(splitUsageRange(at('2026-03-01T03:10:00Z'), at('2026-03-01T04:05:00Z'))).toEqual({
      days: [],
      hours: [],
      records: spans(['2026-03-01T03:10:00Z', '2026-03-01T04:05:00Z']),
    });
  });
});
