import type { Params } from 'nestjs-pino';
import type { LoggingConfig } from '../config/app.config.js';

/** Keys whose values never reach a log line, at any of the depths the gateway logs objects. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'token',
  'sign',
  'privateKey',
  'key',
  'cms',
  'password',
  'apiKey',
  'secret',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/** nestjs-pino: JSON lines (pretty in a terminal), a request id on every line, secrets redacted. */
export function loggerOptions(config: LoggingConfig): Params {
  return {
    pinoHttp: {
      level: config.level,
      transport: config.pretty
        ? {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          }
        : undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // `assignRequestId` (request-id.ts) has set req.id before pino-http runs; pino-http reuses it.
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Probes and scrapes every few seconds would drown the lines a person looks for.
      autoLogging: { ignore: (req) => /^\/(health|metrics)(\/|$)/.test(req.url ?? '') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
