import { z } from 'zod';
import { cacheConfigSchema } from '../cache/schema.ts';
import { identityConfigSchema, sessionSettingsSchema, ssoSettingsSchema } from '../identity/schema.ts';
import { planIdSchema } from '../metering/schema.ts';
import { providersConfigSchema } from '../providers/schema.ts';
import { routingConfigSchema } from '../routing/schema.ts';
import { plansConfigSchema } from './plans-config-schema.ts';
import { defaultToolsConfig, toolsConfigSchema } from './tools-config-schema.ts';
import { vectorsConfigSchema } from './vectors-config-schema.ts';

const modelReference = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*\/.+$/i, "must be a model id of the form 'provider/model'");

/** A price in USD per million tokens, with at most 6 decimals (so it is exact in pico-USD per token). */
const pricePerMillion = z
  .union([z.number(), z.string()])
  .transform((value) => String(value))
  .pipe(z.string().regex(/^\d+(\.\d{1,6})?$/, 'must be a non-negative decimal with at most 6 decimals'));

export const modelPriceSchema = z
  .object({
    input_per_million: pricePerMillion,
    output_per_million: pricePerMillion,
    cached_input_per_million: pricePerMillion.optional(),
    cache_write_input_per_million: pricePerMillion.optional(),
    cache_write_1h_input_per_million: pricePerMillion.optional(),
    /** Percent off every token of a batch line (`POST /v1/batches`, message batches); default none. */
    batch_discount_percent: z.number().int().min(0).max(100).optional(),
  })
  .strict();

/** The shape of `kimi.config.yaml`. Every section is optional; the defaults run the offline demo. */
export const configFileSchema = z
  .object({
    server: z
      .object({
        body_limit_bytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(4 * 1024 * 1024),
        shutdown_grace_ms: z.number().int().min(0).max(600_000).default(10_000),
        /** How long a client may take to send a whole request (headers and body); then 408. */
        request_timeout_ms: z.number().int().min(1000).max(3_600_000).default(300_000),
      })
      .strict()
      .default({ body_limit_bytes: 4 * 1024 * 1024, shutdown_grace_ms: 10_000, request_timeout_ms: 300_000 }),
    aliases: z.record(z.string().min(1), modelReference).default({}),
    providers: providersConfigSchema,
    prices: z.record(modelReference, modelPriceSchema).default({}),
    routing: routingConfigSchema.default(() => routingConfigSchema.parse({})),
    plans: plansConfigSchema,
    organizations: z
      .object({
        /** The plan a new organisation is on unless its creator names one; null for none (unlimited). */
        default_plan: planIdSchema.nullable().default('free'),
      })
      .strict()
      .default({ default_plan: 'free' }),
    cache: cacheConfigSchema,
    identity: identityConfigSchema,
    /** Single sign-on with each organisation's OpenID provider (docs/sso.md). */
    sso: ssoSettingsSchema,
    /** Browser sessions after a sign-in. */
    sessions: sessionSettingsSchema,
    batch: z
      .object({
        max_requests: z.number().int().min(1).max(10_000).default(100),
        max_concurrency: z.number().int().min(1).max(256).default(8),
      })
      .strict()
      .default({ max_requests: 100, max_concurrency: 8 }),
    /** Uploaded files (`POST /v1/files`), stored in the database. */
    files: z
      .object({
        /** Largest file accepted, in bytes; larger uploads are a 413. */
        max_bytes: z
          .number()
          .int()
          .min(1024)
          .max(512 * 1024 * 1024)
          .default(50 * 1024 * 1024),
        /** Most requests one batch (input file or message batch) may hold. */
        max_lines: z.number().int().min(1).max(1_000_000).default(50_000),
      })
      .strict()
      .default({ max_bytes: 50 * 1024 * 1024, max_lines: 50_000 }),
    /** Asynchronous batches (`POST /v1/batches`, `POST /v1/messages/batches`) run on the job queue. */
    batches: z
      .object({
        /** Lines one process runs at once (read at start-up). */
        max_concurrency: z.number().int().min(1).max(256).default(4),
        /** Tries of a line that keeps meeting 429 or a retryable provider failure. */
        line_attempts: z.number().int().min(1).max(10).default(3),
        /** After this a running line whose process went silent is run again. */
        line_lease_ms: z.number().int().min(1000).max(86_400_000).default(600_000),
        /** How often live batches are checked for expiry, lost jobs and an end to write. */
        sweep_interval_ms: z.number().int().min(100).max(3_600_000).default(60_000),
      })
      .strict()
      .default({ max_concurrency: 4, line_attempts: 3, line_lease_ms: 600_000, sweep_interval_ms: 60_000 }),
    /** Stored responses of `POST /v1/responses` (`store`, `previous_response_id`). */
    responses: z
      .object({
        /** Days a stored response (and its input items) stays readable; then it is deleted. */
        retention_days: z.number().int().min(1).max(3650).default(30),
        /** Earlier responses one `previous_response_id` chain may rebuild; a longer chain is a 400. */
        max_chain_length: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict()
      .default({ retention_days: 30, max_chain_length: 1000 }),
    metering: z
      .object({
        batch_max_records: z.number().int().min(1).max(5000).default(500),
        queue_max_records: z.number().int().min(1).max(1_000_000).default(10_000),
        /** Months after the current one whose usage_records partitions the platform keeps created. */
        partition_months_ahead: z.number().int().min(1).max(24).default(3),
      })
      .strict()
      .default({ batch_max_records: 500, queue_max_records: 10_000, partition_months_ahead: 3 }),
    limits: z
      .object({
        /** Completion tokens a budget reservation assumes when a request sets no max_tokens. */
        default_max_tokens: z.number().int().min(1).max(1_000_000).default(4096),
        /** After this an unsettled reservation (a crashed request) stops holding budget. */
        reservation_ttl_ms: z.number().int().min(1000).max(86_400_000).default(900_000),
        /** After this a concurrency slot of a request that never finished is freed. */
        concurrency_lease_ms: z.number().int().min(1000).max(86_400_000).default(900_000),
        /** How often live budget counters are reconciled with the usage records. */
        reconcile_interval_ms: z.number().int().min(1000).max(86_400_000).default(60_000),
        /** Limit and budget operations waiting on the store at once; beyond it requests get 503. */
        max_pending_operations: z.number().int().min(1).max(100_000).default(2048),
      })
      .strict()
      .default({
        default_max_tokens: 4096,
        reservation_ttl_ms: 900_000,
        concurrency_lease_ms: 900_000,
        reconcile_interval_ms: 60_000,
        max_pending_operations: 2048,
      }),
    auth: z
      .object({
        key_cache_max_entries: z.number().int().min(1).default(100_000),
        revocation_poll_ms: z.number().int().min(100).max(60_000).default(1000),
        /** How often keys' last_used_at is written, in one statement for every key used meanwhile. */
        last_used_flush_ms: z.number().int().min(100).max(3_600_000).default(30_000),
        /** Failed authentications a client address may make per minute before it is refused (429). */
        failures_per_minute_per_address: z.number().int().min(1).max(100_000).default(30),
        /** Failed authentications per minute with secrets of one display prefix before they are refused. */
        failures_per_minute_per_key_prefix: z.number().int().min(1).max(100_000).default(10),
      })
      .strict()
      .default({
        key_cache_max_entries: 100_000,
        revocation_poll_ms: 1000,
        last_used_flush_ms: 30_000,
        failures_per_minute_per_address: 30,
        failures_per_minute_per_key_prefix: 10,
      }),
    tools: toolsConfigSchema.default(defaultToolsConfig),
    /** Where knowledge-base vectors live: PostgreSQL unless `qdrant` is set (or QDRANT_URL). */
    vectors: vectorsConfigSchema,
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ModelPrice = z.infer<typeof modelPriceSchema>;
