import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const INCOMING_ID = /^[\w.:-]{1,64}$/;

/**
 * Gives every request its id before anything else runs (even the JSON parser, whose errors must carry it too):
 * the caller's `X-Request-Id` when it is sane, otherwise a new UUID. Echoed in the `X-Request-Id` header.
 */
export function assignRequestId(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const incoming = req.headers['x-request-id'];
  req.id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', String(req.id));
  next();
}
