/**
 * Why a SOAP call failed below the protocol, and whether the request can have reached the server:
 * `sent: false` means it certainly did not (safe to retry anything); `sent: true` means ARCA may have processed
 * it (an invoice may be authorized: reconcile before retrying).
 */
export type TransportErrorCode =
  | 'CONNECT_FAILED' // DNS, refused, TLS handshake: nothing was sent
  | 'TIMEOUT' // no complete answer within the call's timeout
  | 'CONNECTION_RESET' // the connection dropped before a complete answer
  | 'HTTP_STATUS'; // an HTTP status that carries no SOAP answer (502, 503, an HTML 500...)

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    readonly sent: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** A SOAP Fault answered by the server (WSAA's `cms.bad`, ASMX's `soap:Client`...). */
export class SoapFaultError extends Error {
  constructor(
    /** The fault code without its prefix: `cms.sign.invalid`, `coe.alreadyAuthenticated`, `Client`. */
    readonly faultCode: string,
    readonly faultString: string,
    readonly status: number,
  ) {
    super(`${faultCode}: ${faultString}`);
    this.name = 'SoapFaultError';
  }
}
