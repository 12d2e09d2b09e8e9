/**
 * The gateway's own error codes. Services throw `AppError`; protocol libraries throw their own typed errors;
 * only the exception filter knows HTTP (see `error-status.ts`).
 */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LANE_DIVERGED'
  | 'LANE_DATE_BLOCKED'
  | 'DATE_ADVANCE_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'NOT_READY'
  | 'MISCONFIGURED'
  | 'AFIP_AUTH_REFUSED'
  | 'AFIP_REJECTED'
  | 'AFIP_FAILED'
  | 'AFIP_UNREACHABLE'
  | 'AFIP_TIMEOUT'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `FeCAEReq.FeCabReq.PtoVta`. */
  field?: string;
  /** The rule broken: a validator name or ARCA's error code. */
  rule?: string;
  message: string;
}

export class AppError extends Error {
  /** Sent as `Retry-After` (503, 502, 504, 409 in flight): when trying again makes sense. */
  readonly retryAfterSeconds?: number;
  /** The message for an admin key, when it may say more than `message` (server paths, file names). */
  readonly adminMessage?: string;
  /**
   * ARCA cannot authorize now and this request certainly did not reach it (its lane is blocked by a doubt ARCA
   * cannot settle): a CAEA contingency may issue it. `AFIP_UNREACHABLE` means the same without the flag.
   */
  readonly arcaDown?: boolean;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
    options?: { cause?: unknown; retryAfterSeconds?: number; adminMessage?: string; arcaDown?: boolean },
  ) {
    super(message, options);
    this.arcaDown = options?.arcaDown;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.adminMessage = options?.adminMessage;
    this.name = 'AppError';
  }
}
