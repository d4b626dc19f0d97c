import { z } from 'zod';
import { batchEndpoints } from '../files/index.ts';

/** `POST /v1/batches`. */
export const batchCreateRequestSchema = z.strictObject({
  input_file_id: z.string().min(1).max(128),
  endpoint: z.enum(batchEndpoints),
  completion_window: z.literal('24h'),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((metadata) => Object.keys(metadata).length <= 16, 'at most 16 keys')
    .nullish(),
});
export type BatchCreateRequest = z.output<typeof batchCreateRequestSchema>;

/** `POST /v1/messages/batches`: params are checked when their request runs (as Anthropic does). */
export const messageBatchCreateRequestSchema = z.strictObject({
  requests: z
    .array(
      z.strictObject({
        custom_id: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "_" or "-"'),
        params: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1),
});
export type MessageBatchCreateRequest = z.output<typeof messageBatchCreateRequestSchema>;

/** Batches of a window: OpenAI's only window, and Anthropic's fixed one. */
export const completionWindowMs = 24 * 3_600_000;
