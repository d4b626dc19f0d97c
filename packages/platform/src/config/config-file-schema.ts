import { z } from 'zod';
import { cacheConfigSchema } from '../cache/cache-config-schema.ts';
import { simulatedModelSettingsSchema } from '../providers/simulated/index.ts';
import { routingConfigSchema } from '../routing/routing-config-schema.ts';
import { plansConfigSchema } from './plans-config-schema.ts';
import { realProvidersSchema } from './provider-config-schema.ts';

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
      })
      .strict()
      .default({ body_limit_bytes: 4 * 1024 * 1024, shutdown_grace_ms: 10_000 }),
    aliases: z.record(z.string().min(1), modelReference).default({}),
    providers: z
      .object({
        sim: z
          .object({
            enabled: z.boolean().default(true),
            models: z
              .record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i), simulatedModelSettingsSchema)
              .optional(),
          })
          .strict()
          .default({ enabled: true }),
        ...realProvidersSchema,
      })
      .strict()
      .default({ sim: { enabled: true }, openai_compatible: [] }),
    prices: z.record(modelReference, modelPriceSchema).default({}),
    routing: routingConfigSchema.default(() => routingConfigSchema.parse({})),
    plans: plansConfigSchema,
    cache: cacheConfigSchema,
    batch: z
      .object({
        max_requests: z.number().int().min(1).max(10_000).default(100),
        max_concurrency: z.number().int().min(1).max(256).default(8),
      })
      .strict()
      .default({ max_requests: 100, max_concurrency: 8 }),
    metering: z
      .object({
        batch_max_records: z.number().int().min(1).max(5000).default(500),
        queue_max_records: z.number().int().min(1).max(1_000_000).default(10_000),
      })
      .strict()
      .default({ batch_max_records: 500, queue_max_records: 10_000 }),
    auth: z
      .object({
        key_cache_max_entries: z.number().int().min(1).default(100_000),
        revocation_poll_ms: z.number().int().min(100).max(60_000).default(1000),
      })
      .strict()
      .default({ key_cache_max_entries: 100_000, revocation_poll_ms: 1000 }),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ModelPrice = z.infer<typeof modelPriceSchema>;
