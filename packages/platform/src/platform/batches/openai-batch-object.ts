import type { BatchRecord, BatchStatus, LineCounts, LineUsage } from './batch-record.ts';

/** OpenAI's batch object (`object: "batch"`), timestamps in Unix seconds. */
export interface OpenAIBatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: {
    object: 'list';
    data: Array<{ code: string; message: string; param: string | null; line: number | null }>;
  } | null;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  /** The model that served most lines (null before any was served). */
  model: string | null;
  /** Tokens of the lines so far. */
  usage: {
    input_tokens: number;
    input_tokens_details: { cached_tokens: number };
    output_tokens: number;
    output_tokens_details: { reasoning_tokens: number };
    total_tokens: number;
  };
  metadata: Record<string, string> | null;
}

const seconds = (milliseconds: number | null) =>
  milliseconds === null ? null : Math.floor(milliseconds / 1000);

/**
 * `expired_at` is shown once the batch has ended as expired (the record notes the moment its
 * window ran out earlier, while in-flight lines finish).
 */
export function toOpenAIBatch(batch: BatchRecord, counts: LineCounts, usage: LineUsage): OpenAIBatchObject {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    errors: batch.errors === null ? null : { object: 'list', data: batch.errors },
    input_file_id: batch.inputFileId ?? '',
    completion_window: batch.completionWindow,
    status: batch.status,
    output_file_id: batch.outputFileId,
    error_file_id: batch.errorFileId,
    created_at: Math.floor(batch.createdAt / 1000),
    in_progress_at: seconds(batch.inProgressAt),
    expires_at: Math.floor(batch.expiresAt / 1000),
    finalizing_at: seconds(batch.finalizingAt),
    completed_at: seconds(batch.completedAt),
    failed_at: seconds(batch.failedAt),
    expired_at: batch.status === 'expired' ? seconds(batch.expiredAt) : null,
    cancelling_at: seconds(batch.cancellingAt),
    cancelled_at: seconds(batch.cancelledAt),
    request_counts: { total, completed: counts.succeeded, failed: counts.errored + counts.expired },
    model: usage.model,
    usage: {
      input_tokens: usage.inputTokens,
      input_tokens_details: { cached_tokens: usage.cachedTokens },
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
    metadata: batch.metadata,
  };
}
