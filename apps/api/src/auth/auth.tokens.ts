export const WSAA_CLIENT = Symbol('WsaaClient');
export const NTP_CLOCK = Symbol('NtpClock');

/** Timing of ticket handling; defaults suit ARCA, tests shorten them. */
export class AuthOptions {
  /** A ticket is treated as expired this long before its expirationTime. */
  expiryMarginMs = 5 * 60_000;
  /** The job renews tickets expiring within this lead time, so no request waits for a login. */
  renewBeforeMs = 60 * 60_000;
  /** How long to keep retrying after coe.alreadyAuthenticated (ARCA's window is 2 to 10 minutes). */
  alreadyAuthenticatedWaitMs = 11 * 60_000;
  alreadyAuthenticatedPollMs = 15_000;
  /**
   * A ticket WSAA issued but the store refused (its database connection dropped): first wait before storing it
   * again, doubled each time up to a minute. Meanwhile this replica serves with it from memory.
   */
  storeRetryMs = 1_000;
  /** How often the renewal job runs. */
  refreshIntervalMs = 60_000;
  /** The clock NTP corrects; the system clock except in tests that simulate a wrong one. */
  systemNow: () => number = Date.now;
}
