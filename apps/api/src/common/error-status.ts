import type { AppErrorCode } from './app-error.js';

/** The one place where error codes become HTTP status codes. */
export function statusOf(code: AppErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'LANE_DIVERGED':
    case 'LANE_DATE_BLOCKED':
    case 'DATE_ADVANCE_NOT_ALLOWED':
      return 409;
    case 'RATE_LIMITED':
      return 429;
    case 'AFIP_REJECTED':
      return 422;
    case 'INTERNAL':
      return 500;
    case 'AFIP_AUTH_REFUSED':
    case 'AFIP_FAILED':
      return 502;
    case 'AFIP_TIMEOUT':
      return 504;
    case 'NOT_READY':
    case 'UNAVAILABLE':
    case 'MISCONFIGURED':
    case 'AFIP_UNREACHABLE':
      return 503;
    default:
      return assertNever(code);
  }
}

/** Code for an HTTP error raised by the framework itself (unknown route, body too large, ...). */
export function codeOfStatus(status: number): string {
  const known: Record<number, string> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    422: 'UNPROCESSABLE_ENTITY',
    429: 'RATE_LIMITED',
    503: 'NOT_READY',
  };
  return known[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

function assertNever(code: never): never {
  throw new Error(`unmapped error code ${String(code)}`);
}
