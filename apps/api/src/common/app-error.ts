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
  | 'RATE_LIMITED'
  | 'NOT_READY'
  | 'MISCONFIGURED'
  | 'AFIP_AUTH_REFUSED'
  | 'AFIP_UNREACHABLE'
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
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}
