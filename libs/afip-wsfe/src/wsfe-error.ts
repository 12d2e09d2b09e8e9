import type { CodeMsg } from './wsfe-types.js';

/**
 * How a WSFEv1 call failed, which decides what the caller may do next:
 * - `rejected`: ARCA answered no (its `Errors`); sending the same again gets the same answer;
 * - `auth`: the ticket was refused (600, 601): renew it and retry once;
 * - `transient`: the request certainly was not processed (could not connect, HTTP 503, ARCA's internal
 *   errors 500-502): safe to retry;
 * - `unknown-outcome`: the request may have reached ARCA (timeout after sending, reset, HTTP 500): for
 *   FECAESolicitar, find out with FECompConsultar before anything else.
 */
export type WsfeErrorKind = 'rejected' | 'auth' | 'transient' | 'unknown-outcome';

export class WsfeError extends Error {
  constructor(
    readonly kind: WsfeErrorKind,
    readonly operation: string,
    message: string,
    /** ARCA's codes when ARCA answered. */
    readonly errors: CodeMsg[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WsfeError';
  }
}

const AUTH_CODES = new Set([600, 601]);
const INTERNAL_CODES = new Set([500, 501, 502]);

/** The kind of failure ARCA's `Errors` block means (PROTOCOL.md 4: 500 internal, 600/601 token). */
export function kindOfErrors(errors: CodeMsg[]): WsfeErrorKind {
  if (errors.some((error) => AUTH_CODES.has(error.Code))) return 'auth';
  // Err 500 "Campo Auth no fue ingresado" is a malformed request, not ARCA being down.
  if (errors.some((error) => INTERNAL_CODES.has(error.Code) && !/Campo Auth/.test(error.Msg)))
    return 'transient';
  return 'rejected';
}
