import { z } from 'zod';
import { formatZodIssues } from './format-zod-issues.ts';
import { telemetryEnvironmentShape } from './telemetry-environment.ts';
import { qdrantUrlSchema } from './vectors-config-schema.ts';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Every environment variable the platform reads. The README documents each one. */
export const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Loopback unless set: the first start prints an admin key, so it must not face the network by default. */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  /** Knowledge-base vectors in this Qdrant (REST, e.g. http://127.0.0.1:6333); overrides vectors.qdrant.url. */
  QDRANT_URL: optionalText.pipe(qdrantUrlSchema.optional()),
  /** Sent to Qdrant as its api-key header; overrides vectors.qdrant.api_key. */
  QDRANT_API_KEY: optionalText,
  KIMI_DATA_DIR: z.string().min(1).default('.kimi'),
  KIMI_CONFIG: optionalText,
  KIMI_ADMIN_KEY: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  KIMI_MASTER_KEY: optionalText,
  KIMI_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** `0`: this server only serves the API and leaves swarm runs and batch lines to `kimi-platform worker` processes. */
  KIMI_SWARM_WORKER: z.enum(['0', '1']).default('1'),
  /** `kimi-platform worker` serves Prometheus metrics at /metrics on this port (0: any free one) on HOST; unset: none. */
  KIMI_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** How long a worker holds a swarm run without a heartbeat before another may resume it. */
  KIMI_SWARM_LEASE_MS: z.coerce.number().int().min(200).max(600_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...telemetryEnvironmentShape,
});

export type Environment = z.infer<typeof environmentSchema>;

/** Parses `process.env` (or a given record); throws an Error naming each bad variable. */
export function parseEnvironment(source: Record<string, string | undefined>): Environment {
  const result = environmentSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid environment: ${formatZodIssues(result.error)}`);
  }
  return result.data;
}
