import type { BatchRecord, LineCounts } from './batch-record.ts';

/** Anthropic's Message Batch object (`type: "message_batch"`), times as RFC 3339 strings. */
export interface MessageBatchObject {
  id: string;
  type: 'message_batch';
  processing_status: 'in_progress' | 'canceling' | 'ended';
  request_counts: {
    processing: number;
    succeeded: number;
    errored: number;
    canceled: number;
    expired: number;
  };
  ended_at: string | null;
  created_at: string;
  expires_at: string;
  archived_at: null;
  cancel_initiated_at: string | null;
  /** Relative to the API's base URL until the HTTP layer makes it absolute; null until ended. */
  results_url: string | null;
}

const iso = (milliseconds: number | null) =>
  milliseconds === null ? null : new Date(milliseconds).toISOString();

function processingStatus(batch: BatchRecord): MessageBatchObject['processing_status'] {
  if (batch.status === 'cancelling') return 'canceling';
  if (['completed', 'expired', 'cancelled', 'failed'].includes(batch.status)) return 'ended';
  return 'in_progress';
}

export function toMessageBatch(batch: BatchRecord, counts: LineCounts): MessageBatchObject {
  const status = processingStatus(batch);
  const endedAt =
    batch.completedAt ?? batch.cancelledAt ?? (batch.status === 'expired' ? batch.expiredAt : null);
  return {
    id: batch.id,
    type: 'message_batch',
    processing_status: status,
    request_counts: {
      processing: counts.pending + counts.running,
      succeeded: counts.succeeded,
      errored: counts.errored,
      canceled: counts.canceled,
      expired: counts.expired,
    },
    ended_at: status === 'ended' ? iso(endedAt ?? batch.finalizingAt) : null,
    created_at: new Date(batch.createdAt).toISOString(),
    expires_at: new Date(batch.expiresAt).toISOString(),
    archived_at: null,
    cancel_initiated_at: iso(batch.cancellingAt),
    results_url: status === 'ended' ? `/v1/messages/batches/${batch.id}/results` : null,
  };
}
