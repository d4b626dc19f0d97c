import pino, { type Logger } from 'pino';

/** JSON logs; credentials are redacted wherever they might appear. */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    name: options.name ?? 'kimi-platform',
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'request.headers.authorization',
        'request.headers["x-api-key"]',
        'secret',
        '*.secret',
        'apiKey',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger } from 'pino';
