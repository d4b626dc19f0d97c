import { z } from 'zod';
import { formatZodIssues } from './format-zod-issues.ts';

/** An http(s) URL, as Qdrant's REST API is addressed. */
export const qdrantUrlSchema = z
  .string()
  .trim()
  .regex(/^https?:\/\//, 'must start with http:// or https://')
  .refine((value) => URL.canParse(value), 'must be a valid URL, e.g. http://127.0.0.1:6333')
  .refine((value) => {
    // why the guard: zod runs every check, also after the URL was found unparsable above.
    const parsed = URL.parse(value);
    return parsed === null || (parsed.username === '' && parsed.password === '');
  }, 'must not hold credentials: Qdrant takes its key as api_key (or QDRANT_API_KEY)');

/**
 * `vectors.qdrant` in kimi.config.yaml: knowledge-base vectors in Qdrant instead of PostgreSQL.
 * QDRANT_URL and QDRANT_API_KEY override `url` and `api_key`; both are read at start-up only.
 *
 * ```yaml
 * vectors:
 *   qdrant:
 *     url: http://127.0.0.1:6333
 *     api_key: …                  # or QDRANT_API_KEY; sent as the api-key header
 *     collection_prefix: kimi_chunks  # collections are <prefix>_<dimensions>
 * ```
 */
export const qdrantConfigSchema = z
  .object({
    url: qdrantUrlSchema,
    api_key: z
      .string()
      .trim()
      .min(1, 'must not be empty; leave it out for a server without a key')
      .optional(),
    collection_prefix: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lowercase letters, digits and _, starting with a letter')
      .default('kimi_chunks'),
    /** Per request to Qdrant. */
    timeout_ms: z.number().int().min(100).max(600_000).default(30_000),
    /** Points per upsert request. */
    upsert_batch_size: z.number().int().min(1).max(10_000).default(256),
  })
  .strict();

/** `vectors:` — where knowledge-base vectors live. Without `qdrant`, in PostgreSQL (pgvector or an exact scan). */
export const vectorsConfigSchema = z
  .object({
    qdrant: qdrantConfigSchema.optional(),
  })
  .strict()
  .default({});

export type VectorsConfig = z.output<typeof vectorsConfigSchema>;
export type QdrantConfig = z.output<typeof qdrantConfigSchema>;

/**
 * The `vectors` section with QDRANT_URL and QDRANT_API_KEY applied over the file's values. An API
 * key with no URL anywhere is an error naming both, since it would otherwise be silently unused.
 */
export function applyVectorEnvironment(
  vectors: VectorsConfig,
  environment: { QDRANT_URL?: string | undefined; QDRANT_API_KEY?: string | undefined },
): VectorsConfig {
  const url = environment.QDRANT_URL ?? vectors.qdrant?.url;
  if (url === undefined) {
    if (environment.QDRANT_API_KEY !== undefined) {
      throw new Error(
        'QDRANT_API_KEY is set, but neither QDRANT_URL nor vectors.qdrant.url says which Qdrant to use.',
      );
    }
    return vectors;
  }
  const result = qdrantConfigSchema.safeParse({
    ...vectors.qdrant,
    url,
    ...(environment.QDRANT_API_KEY !== undefined ? { api_key: environment.QDRANT_API_KEY } : {}),
  });
  if (!result.success) {
    throw new Error(
      `Invalid vectors.qdrant (with QDRANT_URL/QDRANT_API_KEY applied): ${formatZodIssues(result.error)}`,
    );
  }
  return { ...vectors, qdrant: result.data };
}
