import type { PostingList } from './postings-codec.ts';

/** Okapi BM25's parameters, as the reference implementations default them. */
export const bm25 = { k1: 1.2, b: 0.75 } as const;

export interface CollectionStatistics {
  /** Live chunks in the knowledge base. */
  chunkCount: number;
  /** Their average length in tokens. */
  averageLength: number;
}

export interface RankedChunk {
  number: number;
  /** The raw BM25 score (unbounded, > 0). */
  score: number;
}

/** The postings of one segment for each query lexeme, with that lexeme's idf. */
interface WeightedList {
  list: PostingList;
  idf: number;
}

/**
 * Ranks chunks by Okapi BM25 over their postings: `listsBySegment` holds, per segment, each query
 * lexeme's list there (a chunk lives in one segment, so each segment is summed on its own),
 * skipping tombstoned chunk numbers. idf = ln(1 + (N − df + 0.5) / (df + 0.5)) with df the live
 * chunks holding the lexeme in every segment; a term's weight is
 * tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avg)). Returns the best `limit`, by score, then by chunk
 * number (older first).
 */
export function rankByBm25(
  listsBySegment: ReadonlyArray<ReadonlyMap<string, PostingList>>,
  deleted: ReadonlySet<number>,
  statistics: CollectionStatistics,
  limit: number,
): RankedChunk[] {
  const averageLength = Math.max(statistics.averageLength, 1);
  const documentFrequencies = new Map<string, number>();
  for (const segment of listsBySegment) {
    for (const [lexeme, list] of segment) {
      let live = list.numbers.length;
      if (deleted.size > 0) for (const number of list.numbers) if (deleted.has(number)) live -= 1;
      documentFrequencies.set(lexeme, (documentFrequencies.get(lexeme) ?? 0) + live);
    }
  }
  const idfOf = (lexeme: string) => {
    const frequency = documentFrequencies.get(lexeme) ?? 0;
    return Math.log(1 + (statistics.chunkCount - frequency + 0.5) / (frequency + 0.5));
  };
  const best = createBest(limit);
  for (const segment of listsBySegment) {
    const weighted: WeightedList[] = [];
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (const [lexeme, list] of segment) {
      if (list.numbers.length === 0) continue;
      weighted.push({ list, idf: idfOf(lexeme) });
      lowest = Math.min(lowest, list.numbers[0]!);
      highest = Math.max(highest, list.numbers[list.numbers.length - 1]!);
    }
    if (weighted.length === 0) continue;
    const postings = weighted.reduce((sum, { list }) => sum + list.numbers.length, 0);
    const weightOf = (list: PostingList, index: number, idf: number) => {
      const frequency = list.frequencies[index]!;
      return (
        (idf * frequency * (bm25.k1 + 1)) /
        (frequency + bm25.k1 * (1 - bm25.b + (bm25.b * list.lengths[index]!) / averageLength))
      );
    };
    const keep = (number: number, score: number) => {
      if (score > 0 && !(deleted.size > 0 && deleted.has(number))) best.offer(number, score);
    };
    const range = highest - lowest + 1;
    if (range <= postings * 8 + 4096) {
      // why a dense array over the segment's number range: a segment's chunk numbers are close
      // together (one identity sequence), and summing into an array is many times a map's speed.
      const scores = new Float64Array(range);
      for (const { list, idf } of weighted) {
        for (let index = 0; index < list.numbers.length; index += 1) {
          scores[list.numbers[index]! - lowest]! += weightOf(list, index, idf);
        }
      }
      for (let offset = 0; offset < range; offset += 1) keep(lowest + offset, scores[offset]!);
    } else {
      const scores = new Map<number, number>();
      for (const { list, idf } of weighted) {
        for (let index = 0; index < list.numbers.length; index += 1) {
          const number = list.numbers[index]!;
          scores.set(number, (scores.get(number) ?? 0) + weightOf(list, index, idf));
        }
      }
      for (const [number, score] of scores) keep(number, score);
    }
  }
  return best.result();
}

const better = (a: RankedChunk, b: RankedChunk) =>
  a.score > b.score || (a.score === b.score && a.number < b.number);

/** Keeps the `limit` best entries offered, by a bounded min-heap (the worst kept at the root). */
function createBest(limit: number): { offer(number: number, score: number): void; result(): RankedChunk[] } {
  const heap: RankedChunk[] = [];
  const swap = (i: number, j: number) => {
    const held = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = held;
  };
  const siftDown = (start: number) => {
    let index = start;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let worst = index;
      if (left < heap.length && better(heap[worst]!, heap[left]!)) worst = left;
      if (right < heap.length && better(heap[worst]!, heap[right]!)) worst = right;
      if (worst === index) return;
      swap(index, worst);
      index = worst;
    }
  };
  return {
    offer(number, score) {
      if (limit <= 0) return;
      const entry = { number, score };
      if (heap.length < limit) {
        heap.push(entry);
        let index = heap.length - 1;
        while (index > 0) {
          const parent = (index - 1) >> 1;
          if (!better(heap[parent]!, heap[index]!)) break;
          swap(parent, index);
          index = parent;
        }
      } else if (better(entry, heap[0]!)) {
        heap[0] = entry;
        siftDown(0);
      }
    },
    result: () => [...heap].sort((a, b) => (better(a, b) ? -1 : 1)),
  };
}
