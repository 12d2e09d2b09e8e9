/** Timings and limits of invoicing; the defaults suit ARCA, tests shorten them. */
export class BillingOptions {
  /** Retries of a call that certainly was not processed (after the first try). */
  retryAttempts = 3;
  retryInitialDelayMs = 250;
  retryMaxDelayMs = 4_000;
  /** Consecutive failed calls that open WSFEv1's circuit. */
  breakerThreshold = 5;
  /** How long an open circuit answers 503 at once before letting one call probe ARCA. */
  breakerHalfOpenMs = 30_000;
  /** How long ARCA's parameter tables are trusted. */
  paramTtlMs = 60 * 60_000;
  /** How long a request may wait for its numbering lane (other invoices of the same lane go first). */
  laneWaitMs = 120_000;
  /** How often lanes with vouchers in doubt are settled when no request does it (and once at start-up). */
  reconcileIntervalMs = 30_000;
  /** A request still PENDING after this long was left by a stopped gateway: FAILED, so a retry runs it. */
  abandonAfterMs = 10 * 60_000;
  /** The submission time (CbteFch default, date windows); tests move it. */
  now: () => Date = () => new Date();
}
