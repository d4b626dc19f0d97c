import { describe, expect, it } from 'vitest';
import type { ScoredMember } from './atomic-operation.ts';
import { SortedSet } from './sorted-set.ts';

/** The obvious implementation, to compare against: sort everything on every read. */
class ReferenceSortedSet {
  readonly members = new Map<string, number>();
  all(): ScoredMember[] {
    return [...this.members]
      .map(([member, score]) => ({ member, score }))
      .sort((left, right) =>
        left.score !== right.score ? left.score - right.score : left.member < right.member ? -1 : 1,
      );
  }
}

/** A small deterministic generator, so a failure replays. */
function randomSource(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

describe('SortedSet', () => {
  it('keeps Redis order through appends, front trims, middle removals and rank reads', () => {
    const random = randomSource(7);
    const set = new SortedSet();
    const reference = new ReferenceSortedSet();
    let clock = 0;
    for (let step = 0; step < 20_000; step += 1) {
      const action = random(10);
      if (action < 5) {
        // mostly appends at the newest end, as a rate-limit log does, sometimes an older score
        clock += random(3);
        const score = random(8) === 0 ? clock - random(50) : clock;
        const member = `m${random(3_000)}`;
        set.add(member, score);
        reference.members.set(member, score);
      } else if (action < 7) {
        const cutoff = clock - 200 - random(100);
        const expected = reference.all().filter((entry) => entry.score <= cutoff);
        expect(set.rangeByScore(Number.NEGATIVE_INFINITY, cutoff)).toEqual(expected);
        expect(set.removeRangeByScore(Number.NEGATIVE_INFINITY, cutoff)).toBe(expected.length);
        for (const entry of expected) reference.members.delete(entry.member);
      } else if (action < 8) {
        const member = `m${random(3_000)}`;
        expect(set.remove(member)).toBe(reference.members.delete(member));
      } else {
        const all = reference.all();
        expect(set.size).toBe(all.length);
        expect(set.range(0, 4, false)).toEqual(all.slice(0, 5));
        expect(set.range(0, 2, true)).toEqual(all.slice(-3).reverse());
        const member = `m${random(3_000)}`;
        expect(set.score(member)).toBe(reference.members.get(member) ?? null);
      }
    }
    expect(set.range(0, -1, false)).toEqual(reference.all());
  });

  it('empties completely when every member is trimmed, and fills again', () => {
    const set = new SortedSet();
    for (let index = 0; index < 3_000; index += 1) set.add(`m${index}`, index);
    expect(set.removeRangeByScore(Number.NEGATIVE_INFINITY, 2_999)).toBe(3_000);
    expect(set.size).toBe(0);
    set.add('again', 1);
    expect(set.range(0, -1, false)).toEqual([{ member: 'again', score: 1 }]);
  });
});
