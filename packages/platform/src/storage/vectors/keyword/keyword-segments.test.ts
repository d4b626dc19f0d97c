import { describe, expect, it } from 'vitest';
import { chooseMerge, type SegmentRow } from './keyword-segments.ts';

const segment = (id: string, chunks: number, deleted = 0): SegmentRow => ({
  id,
  chunk_count: chunks,
  token_total: chunks * 100,
  deleted_numbers: Array.from({ length: deleted }, (_, index) => index + 1),
  deleted_token_total: deleted * 100,
});

describe('chooseMerge', () => {
  it('waits until ten segments share a size tier, then merges the ten smallest of it', () => {
    const nine = Array.from({ length: 9 }, (_, index) => segment(`s${index}`, 100 + index));
    expect(chooseMerge(nine)).toBeNull();
    const ten = [...nine, segment('s9', 150), segment('big', 5000)];
    expect(chooseMerge(ten)?.sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']);
  });

  it('starts with the smallest tier that is full', () => {
    const small = Array.from({ length: 10 }, (_, index) => segment(`small${index}`, 3));
    const large = Array.from({ length: 12 }, (_, index) => segment(`large${index}`, 300));
    expect(chooseMerge([...large, ...small])?.every((id) => id.startsWith('small'))).toBe(true);
  });

  it('never merges past the largest merged segment', () => {
    const large = Array.from({ length: 12 }, (_, index) => segment(`large${index}`, 2000));
    expect(chooseMerge(large)).toBeNull();
    const fits = Array.from({ length: 10 }, (_, index) => segment(`fits${index}`, 1000));
    expect(chooseMerge(fits)).toHaveLength(10);
  });

  it('rewrites a segment alone once a quarter of its chunks are deleted', () => {
    expect(chooseMerge([segment('a', 100, 24), segment('b', 100)])).toBeNull();
    expect(chooseMerge([segment('a', 100, 25), segment('b', 100)])).toEqual(['a']);
  });
});
