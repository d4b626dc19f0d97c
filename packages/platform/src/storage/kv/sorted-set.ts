import type { ScoredMember } from './atomic-operation.ts';

/**
 * Orders like Redis: by score, then by member. why: Redis compares members byte by byte in UTF-8;
 * comparing UTF-16 code units agrees for every member without characters beyond U+D7FF, which
 * covers the identifiers and numbers the operations use.
 */
function compare(left: ScoredMember, right: ScoredMember): number {
  if (left.score !== right.score) return left.score < right.score ? -1 : 1;
  if (left.member === right.member) return 0;
  return left.member < right.member ? -1 : 1;
}

/** An in-process sorted set: an array kept in Redis order plus an index of scores by member. */
export class SortedSet {
  private readonly ordered: ScoredMember[] = [];
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.ordered.length;
  }

  score(member: string): number | null {
    return this.scores.get(member) ?? null;
  }

  add(member: string, score: number): void {
    if (Number.isNaN(score)) throw new Error('ERR value is not a valid float');
    this.remove(member);
    const entry = { member, score };
    this.ordered.splice(this.lowerBound(entry), 0, entry);
    this.scores.set(member, score);
  }

  remove(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.ordered.splice(this.lowerBound({ member, score }), 1);
    this.scores.delete(member);
    return true;
  }

  /** Members by rank, inclusive; negative ranks count from the end, as in ZRANGE. */
  range(start: number, stop: number, reverse: boolean): ScoredMember[] {
    const length = this.ordered.length;
    const first = Math.max(start < 0 ? length + start : start, 0);
    const last = Math.min(stop < 0 ? length + stop : stop, length - 1);
    if (first > last) return [];
    if (!reverse) return this.ordered.slice(first, last + 1).map((entry) => ({ ...entry }));
    const result: ScoredMember[] = [];
    for (let rank = first; rank <= last; rank += 1) result.push({ ...this.ordered[length - 1 - rank]! });
    return result;
  }

  /** Members with min ≤ score ≤ max, lowest first. */
  rangeByScore(min: number, max: number): ScoredMember[] {
    const [from, to] = this.scoreBounds(min, max);
    return this.ordered.slice(from, to).map((entry) => ({ ...entry }));
  }

  removeRangeByScore(min: number, max: number): number {
    const [from, to] = this.scoreBounds(min, max);
    const removed = this.ordered.splice(from, Math.max(to - from, 0));
    for (const entry of removed) this.scores.delete(entry.member);
    return removed.length;
  }

  /** The half-open index range [from, to) of members with min ≤ score ≤ max. */
  private scoreBounds(min: number, max: number): [number, number] {
    const from = this.firstIndexWhere((entry) => entry.score >= min);
    const to = this.firstIndexWhere((entry) => entry.score > max);
    return [from, Math.max(from, to)];
  }

  private lowerBound(target: ScoredMember): number {
    return this.firstIndexWhere((entry) => compare(entry, target) >= 0);
  }

  /** Binary search for the first index whose entry satisfies a predicate monotone in the order. */
  private firstIndexWhere(predicate: (entry: ScoredMember) => boolean): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (predicate(this.ordered[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
