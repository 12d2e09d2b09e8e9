/**
 * A failed WSAA login. `code` is ARCA's fault code (`coe.alreadyAuthenticated`, `cms.cert.expired`...) or
 * `transport` when ARCA could not be reached or did not answer.
 */
export class WsaaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WsaaError';
  }

  /** Another holder of this certificate got a ticket that is still valid: reuse it, do not fail. */
  get alreadyAuthenticated(): boolean {
    return this.code === 'coe.alreadyAuthenticated';
  }

  /** Worth trying again later (ARCA asks for at least 60 s after `wsaa.*`/`wsn.unavailable`). */
  get transient(): boolean {
    return this.code === 'transport' || this.code.startsWith('wsaa.') || this.code === 'wsn.unavailable';
  }
}
