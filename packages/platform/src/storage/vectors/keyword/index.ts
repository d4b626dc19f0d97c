export { bm25, type CollectionStatistics, type RankedChunk, rankByBm25 } from './bm25-ranking.ts';
export { inTransaction } from './in-transaction.ts';
export { createKeywordIndex, type KeywordIndex, type KeywordIndexOptions } from './keyword-index.ts';
export { type BaseScope, chooseMerge, type SegmentRow } from './keyword-segments.ts';
