import { type PostingList, postingListBytes } from './postings-codec.ts';

const emptyList: PostingList = {
  numbers: new Float64Array(0),
  frequencies: new Uint16Array(0),
  lengths: new Uint16Array(0),
};

/**
 * Decoded postings by segment and lexeme, least recently used out first, within a byte budget.
 * Segments never change once written (deletions are tombstones kept on the segment row, merges
 * write new segments), so an entry is never stale: a search reads the current segment list and
 * asks only for those segments. A lexeme a segment lacks is cached as an empty list.
 */
export interface PostingsCache {
  get(segmentId: string, lexeme: string): PostingList | undefined;
  set(segmentId: string, lexeme: string, list: PostingList | null): void;
  readonly bytes: number;
}

export function createPostingsCache(budgetBytes: number): PostingsCache {
  const entries = new Map<string, PostingList>();
  let bytes = 0;
  const keyOf = (segmentId: string, lexeme: string) => `${segmentId}\u0000${lexeme}`;
  return {
    get(segmentId, lexeme) {
      const key = keyOf(segmentId, lexeme);
      const list = entries.get(key);
      if (list !== undefined) {
        entries.delete(key);
        entries.set(key, list);
      }
      return list;
    },
    set(segmentId, lexeme, list) {
      const key = keyOf(segmentId, lexeme);
      const value = list ?? emptyList;
      const size = postingListBytes(value) + key.length * 2 + 64;
      if (size > budgetBytes) return;
      const previous = entries.get(key);
      if (previous !== undefined) {
        bytes -= postingListBytes(previous) + key.length * 2 + 64;
        entries.delete(key);
      }
      entries.set(key, value);
      bytes += size;
      for (const [oldest, held] of entries) {
        if (bytes <= budgetBytes) break;
        entries.delete(oldest);
        bytes -= postingListBytes(held) + oldest.length * 2 + 64;
      }
    },
    get bytes() {
      return bytes;
    },
  };
}
