import pino, { type DestinationStream, type Logger } from 'pino';

/** Field names that hold a credential wherever they appear (top level or one object down). */
const secretFields = [
  'secret',
  'apiKey',
  'api_key',
  'key',
  'password',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'webhookSecret',
  'webhook_secret',
  'signingSecret',
  'signing_secret',
  'masterKey',
  'authorization',
];

/** Headers that carry credentials, on the request objects Fastify and we log. */
const secretHeaders = ['authorization', '"x-api-key"', 'cookie', '"set-cookie"', '"proxy-authorization"'];

/** Every redaction path: credential fields and credential headers (see docs/tracing-and-logs.md). */
export const redactedPaths: readonly string[] = [
  ...secretFields,
  ...secretFields.map((field) => `*.${field}`),
  ...['req', 'request', 'res', 'response'].flatMap((holder) =>
    secretHeaders.map((header) => `${holder}.headers.${header}`),
  ),
  ...secretHeaders.map((header) => `headers.${header}`),
];

/**
 * JSON logs; credentials are redacted wherever they might appear. `destination` replaces stdout
 * (tests capture the lines to prove no secret is ever written). `mixin` adds fields to every line
 * (the active span's `trace_id` and `span_id`).
 */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: DestinationStream;
  mixin?: () => Record<string, unknown>;
}): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? 'kimi-platform',
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    ...(options.mixin ? { mixin: options.mixin } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger } from 'pino';
