import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs; credentials are redacted wherever they might appear. `destination` replaces stdout
 * (tests capture the lines to prove no secret is ever written).
 */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: DestinationStream;
}): Logger {
  const settings = {
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
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger } from 'pino';
