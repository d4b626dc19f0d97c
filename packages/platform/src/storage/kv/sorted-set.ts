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

/**
 * An in-process sorted set: an array kept in Redis order plus an index of scores by member.
 * why the head offset: rate-limit logs add at the newest end and trim from the oldest, tens of
 * thousands of members each; removing from the front by splice would move the whole array on every
 * trim (about 0.1 ms at 50,000 members), so the front is dropped by moving `head`, and the dropped
 * slots are compacted away once they outnumber the live members.
 */
export class SortedSet {
  private ordered: ScoredMember[] = [];
  /** Index in `ordered` of the lowest member; slots before it are dropped. */
  private head = 0;
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.ordered.length - this.head;
  }

  score(member: string): number | null {
    return this.scores.get(member) ?? null;
  }

  add(member: string, score: number): void {
    if (Number.isNaN(score)) throw new Error('ERR value is not a valid float');
    this.remove(member);
    const entry = { member, score };
    const last = this.ordered[this.ordered.length - 1];
    if (this.size === 0 || (last !== undefined && compare(last, entry) < 0)) this.ordered.push(entry);
    else this.ordered.splice(this.lowerBound(entry), 0, entry);
    this.scores.set(member, score);
  }

  remove(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.scores.delete(member);
    this.cut(this.lowerBound({ member, score }), 1);
    return true;
  }

  /** Members by rank, inclusive; negative ranks count from the end, as in ZRANGE. */
  range(start: number, stop: number, reverse: boolean): ScoredMember[] {
    const length = this.size;
    const first = Math.max(start < 0 ? length + start : start, 0);
    const last = Math.min(stop < 0 ? length + stop : stop, length - 1);
    if (first > last) return [];
    const result: ScoredMember[] = [];
    for (let rank = first; rank <= last; rank += 1) {
      const index = reverse ? this.ordered.length - 1 - rank : this.head + rank;
      result.push({ ...this.ordered[index]! });
    }
    return result;
  }

  /** Members with min ≤ score ≤ max, lowest first. */
  rangeByScore(min: number, max: number): ScoredMember[] {
    const [from, to] = this.scoreBounds(min, max);
    const result: ScoredMember[] = [];
    for (let index = from; index < to; index += 1) result.push({ ...this.ordered[index]! });
    return result;
  }

  removeRangeByScore(min: number, max: number): number {
    const [from, to] = this.scoreBounds(min, max);
    for (let index = from; index < to; index += 1) this.scores.delete(this.ordered[index]!.member);
    this.cut(from, to - from);
    return to - from;
  }

  /** Drops `count` entries from index `from` of `ordered`: at the front by moving head. */
  private cut(from: number, count: number): void {
    if (count <= 0) return;
    if (from === this.head) {
      this.head += count;
      if (this.head === this.ordered.length) {
        this.ordered = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head > this.size) {
        this.ordered = this.ordered.slice(this.head);
        this.head = 0;
      }
      return;
    }
    this.ordered.splice(from, count);
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

  /** Binary search over the live entries for the first index satisfying a monotone predicate. */
  private firstIndexWhere(predicate: (entry: ScoredMember) => boolean): number {
    let low = this.head;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (predicate(this.ordered[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
