import { AppError } from './app-error.js';

/**
 * Errors that say the gateway's own resources were exhausted, not that the request was wrong: Prisma could not
 * start a transaction in time (P2028) or get a pooled connection (P2024), or the `pg` pool timed out handing one
 * out. They become a 503 with Retry-After, never a 500.
 */
export function isSaturation(error: unknown): boolean {
  return anyCause(
    error,
    (code, message) =>
      code === 'P2028' ||
      code === 'P2024' ||
      /Unable to start a transaction in the given time|timeout exceeded when trying to connect|Timed out fetching a new connection/i.test(
        message,
      ),
  );
}

/** The 503 of a saturated gateway: what to do, and that a retry with the same Idempotency-Key is safe. */
export function saturated(cause: unknown): AppError {
  return unavailable(
    'the gateway is saturated (no database connection in time); try again, with the same Idempotency-Key for a sale',
    cause,
  );
}

/**
 * The database connection a request's work ran on was lost (the server restarted or ended it, the network
 * dropped): nothing the client did. What was committed before stays; the rest rolled back.
 */
export function isConnectionLoss(error: unknown): boolean {
  return anyCause(
    error,
    (code, message) =>
      /^(57P0[123]|08\d{3})$/.test(code) ||
      /Connection terminated|not queryable|terminating connection|Code: `(57P0[123]|08\d{3})`/i.test(message),
  );
}

/** The 503 of a request whose database connection was lost: nothing it asked for is half done; retry. */
export function connectionLost(cause: unknown): AppError {
  return unavailable(
    'the database connection was lost while serving this request; try again (with the same Idempotency-Key for a ' +
      'sale: a voucher that reached ARCA is found and answered, never issued twice)',
    cause,
  );
}

/** The gateway's own database failed it, not the client: a 503 whose retry is safe. */
function unavailable(message: string, cause: unknown): AppError {
  return new AppError('UNAVAILABLE', message, undefined, { cause, retryAfterSeconds: 2 });
}

/** Whether the error, or one of its first five causes, matches on its code or message ('' when absent). */
function anyCause(error: unknown, matches: (code: string, message: string) => boolean): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth += 1) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (matches(typeof code === 'string' ? code : '', typeof message === 'string' ? message : ''))
      return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
