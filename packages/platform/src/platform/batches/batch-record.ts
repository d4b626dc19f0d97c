import type { AuthContext } from '../../tenancy/index.ts';

/** Which wire format a batch speaks: OpenAI's Batch API or Anthropic's Message Batches. */
export type BatchFormat = 'openai' | 'anthropic';

/** OpenAI's batch statuses; Anthropic's `processing_status` is derived from them. */
export type BatchStatus =
  | 'validating'
  | 'failed'
  | 'in_progress'
  | 'finalizing'
  | 'completed'
  | 'expired'
  | 'cancelling'
  | 'cancelled';

export type LineStatus = 'pending' | 'running' | 'succeeded' | 'errored' | 'canceled' | 'expired';

/** A batch-level error (OpenAI's `errors.data[]`): why a batch failed validation. */
export interface BatchError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export interface BatchRecord {
  id: string;
  organizationId: string;
  apiKeyId: string;
  format: BatchFormat;
  /** The endpoint every line calls (`/v1/chat/completions`, …, or `/v1/messages`). */
  endpoint: string;
  inputFileId: string | null;
  completionWindow: string;
  status: BatchStatus;
  /** The creator's key context: every line is admitted, routed and metered as this caller. */
  caller: AuthContext;
  metadata: Record<string, string> | null;
  errors: BatchError[] | null;
  outputFileId: string | null;
  errorFileId: string | null;
  /** Epoch milliseconds; null where the batch has not reached that point. */
  createdAt: number;
  inProgressAt: number | null;
  expiresAt: number;
  finalizingAt: number | null;
  completedAt: number | null;
  failedAt: number | null;
  expiredAt: number | null;
  cancellingAt: number | null;
  cancelledAt: number | null;
}

export interface LineCounts {
  pending: number;
  running: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

/** Tokens of a batch's lines so far (OpenAI's batch `usage`), and the model most lines were served by. */
export interface LineUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  model: string | null;
}

export const emptyLineCounts: LineCounts = {
  pending: 0,
  running: 0,
  succeeded: 0,
  errored: 0,
  canceled: 0,
  expired: 0,
};

/** A line's result in its batch's wire format (an output-file line, or an Anthropic result). */
export type LineResult = Record<string, unknown>;

export interface FinishedLine {
  index: number;
  customId: string;
  status: LineStatus;
  result: LineResult | null;
}

/** The statuses in which a batch still has work, or its end still has to be written. */
export const liveStatuses: readonly BatchStatus[] = ['in_progress', 'finalizing', 'cancelling'];

export const endedStatuses: readonly BatchStatus[] = ['failed', 'completed', 'expired', 'cancelled'];
