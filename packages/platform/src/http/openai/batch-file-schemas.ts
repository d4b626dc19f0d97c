import { z } from 'zod';
import { batchEndpoints, uploadPurposes } from '../../platform/files/index.ts';

/** What the Files and Batch APIs send, as OpenAI documents those objects (platform/files, platform/batches). */

const unixSeconds = z.number().int().describe('Unix seconds.');
const nullableUnixSeconds = unixSeconds.nullable();

export const fileObjectSchema = z
  .object({
    id: z.string().describe('`file-…`'),
    object: z.literal('file'),
    bytes: z.number().int(),
    created_at: unixSeconds,
    expires_at: nullableUnixSeconds,
    filename: z.string(),
    purpose: z.enum([...uploadPurposes, 'batch_output']),
    status: z.literal('processed').describe('Always `processed`: a file is validated on upload.'),
    status_details: z.null(),
  })
  .meta({ id: 'OpenAIFile', description: "OpenAI's file object." });

export const fileObjectExample = {
  id: 'file-7Hc2Qm9xLw4Tb1zR',
  object: 'file',
  bytes: 1024,
  created_at: 1_796_659_200,
  expires_at: null,
  filename: 'requests.jsonl',
  purpose: 'batch',
  status: 'processed',
  status_details: null,
} satisfies z.output<typeof fileObjectSchema>;

/** OpenAI's cursor list: `first_id`, `last_id` and `has_more` (ask for the next page with `after`). */
export function cursorListSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable().describe('Give it as `after` for the next page.'),
      has_more: z.boolean(),
    })
    .meta({ id });
}

export const filePageSchema = cursorListSchema(fileObjectSchema, 'OpenAIFileList');

export const deletedFileSchema = z
  .object({ id: z.string(), object: z.literal('file'), deleted: z.literal(true) })
  .meta({ id: 'OpenAIFileDeleted' });

/** The multipart form of `POST /v1/files` (read part by part in files-routes.ts). */
export const fileUploadFormSchema = z.object({
  file: z
    .string()
    .meta({ format: 'binary' })
    .describe('The file; a `batch` file is JSONL, validated on upload.'),
  purpose: z.enum(uploadPurposes),
});

const batchRequestCounts = z.object({
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int().describe('Lines that errored or expired.'),
});

export const openAIBatchSchema = z
  .object({
    id: z.string().describe('`batch_…`'),
    object: z.literal('batch'),
    endpoint: z.string().describe(`The endpoint every line calls: ${batchEndpoints.join(', ')}.`),
    errors: z
      .object({
        object: z.literal('list'),
        data: z.array(
          z.object({
            code: z.string(),
            message: z.string(),
            param: z.string().nullable(),
            line: z.number().int().nullable().describe('The line of the input file at fault.'),
          }),
        ),
      })
      .nullable()
      .describe('Why the batch failed validation; null otherwise.'),
    input_file_id: z.string(),
    completion_window: z.string(),
    status: z.enum([
      'validating',
      'failed',
      'in_progress',
      'finalizing',
      'completed',
      'expired',
      'cancelling',
      'cancelled',
    ]),
    output_file_id: z.string().nullable(),
    error_file_id: z.string().nullable(),
    created_at: unixSeconds,
    in_progress_at: nullableUnixSeconds,
    expires_at: unixSeconds,
    finalizing_at: nullableUnixSeconds,
    completed_at: nullableUnixSeconds,
    failed_at: nullableUnixSeconds,
    expired_at: nullableUnixSeconds,
    cancelling_at: nullableUnixSeconds,
    cancelled_at: nullableUnixSeconds,
    request_counts: batchRequestCounts,
    model: z.string().nullable().describe('The model that served most lines (null before any was served).'),
    usage: z.object({
      input_tokens: z.number().int(),
      input_tokens_details: z.object({ cached_tokens: z.number().int() }),
      output_tokens: z.number().int(),
      output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
      total_tokens: z.number().int(),
    }),
    metadata: z.record(z.string(), z.string()).nullable(),
  })
  .meta({ id: 'OpenAIBatch', description: "OpenAI's batch object, run on the job queue." });

export const openAIBatchExample = {
  id: 'batch_4Rk8Tz2Mq6Lx1Vb9',
  object: 'batch',
  endpoint: '/v1/chat/completions',
  errors: null,
  input_file_id: fileObjectExample.id,
  completion_window: '24h',
  status: 'in_progress',
  output_file_id: null,
  error_file_id: null,
  created_at: 1_796_659_200,
  in_progress_at: 1_796_659_201,
  expires_at: 1_796_745_600,
  finalizing_at: null,
  completed_at: null,
  failed_at: null,
  expired_at: null,
  cancelling_at: null,
  cancelled_at: null,
  request_counts: { total: 2, completed: 1, failed: 0 },
  model: 'sim/fast',
  usage: {
    input_tokens: 9,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 6,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  },
  metadata: { job: 'nightly' },
} satisfies z.output<typeof openAIBatchSchema>;

export const openAIBatchPageSchema = cursorListSchema(openAIBatchSchema, 'OpenAIBatchList');
