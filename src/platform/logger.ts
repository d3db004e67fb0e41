import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'workpex-api' },
    // Keys, tokens and message bodies never reach the logs.
    redact: {
      paths: ['req.headers.authorization', 'authorization', 'key', 'apiKey', 'token', '*.key', '*.token'],
      censor: '[redacted]',
    },
  });
}
