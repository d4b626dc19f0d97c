import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * The standard OpenTelemetry variables the platform reads (and nothing it would have to invent):
 * export is off unless OTEL_TRACES_EXPORTER=otlp. Plus the request-log sampling rate.
 */
export const telemetryEnvironmentShape = {
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalText.pipe(z.url().optional()),
  /** `name=value` pairs separated by commas, percent-encoded values (the OTLP exporter spec). */
  OTEL_EXPORTER_OTLP_HEADERS: optionalText,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optionalText,
  OTEL_SERVICE_NAME: optionalText,
  OTEL_RESOURCE_ATTRIBUTES: optionalText,
  OTEL_TRACES_SAMPLER: z.enum(samplerNames).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** The share of successful (status < 400) request log lines written at info; warn and error are always written. */
  KIMI_REQUEST_LOG_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
};
