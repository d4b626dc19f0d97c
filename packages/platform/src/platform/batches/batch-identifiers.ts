import { randomBase62 } from '../../tenancy/index.ts';
import type { BatchFormat } from './batch-record.ts';

/** `batch_…` (OpenAI) or `msgbatch_…` (Anthropic), unguessable. */
export function newBatchId(format: BatchFormat): string {
  return `${format === 'openai' ? 'batch' : 'msgbatch'}_${randomBase62(24)}`;
}

/**
 * The request id of one run of a line: it names the batch and the line, so the usage records of
 * a batch are found by their request id (`req_<batch id>_<line>_…`); each run has its own.
 */
export function lineRequestId(batchId: string, lineIndex: number): string {
  return `req_${batchId}_${lineIndex}_${randomBase62(8)}`;
}

/** The `id` of an OpenAI output-file line. */
export function newBatchRequestId(): string {
  return `batch_req_${randomBase62(24)}`;
}
