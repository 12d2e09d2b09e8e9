import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app.config.js';

const WINDOW_MS = 60_000;
/** Addresses tracked at once; beyond it the oldest window is forgotten (memory stays bounded under a flood). */
const MAX_ADDRESSES = 10_000;

/**
 * Refused requests (401, 403) per client address and minute, per replica. An address over the limit gets 429
 * with `Retry-After` instead of the refusal's reason, and its refusals stop writing audit entries, until its
 * minute is over. Requests with a valid key in scope are never counted nor held back, so one misconfigured
 * terminal behind a shared address does not stop the others.
 */
@Injectable()
export class RefusalLimiter {
  private readonly limit: number;
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(config: AppConfig) {
    this.limit = config.security.refusalLimitPerMinute;
  }

  /** Counts one refusal of `address`; the seconds to wait when the address is over its limit. */
  refused(address: string, now = Date.now()): number | undefined {
    if (this.limit === 0) return undefined;
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      this.windows.delete(address);
      window = { startedAt: now, count: 0 };
      this.windows.set(address, window);
      this.evict(now);
    }
    window.count += 1;
    return window.count > this.limit ? Math.ceil((window.startedAt + WINDOW_MS - now) / 1000) : undefined;
  }

  private evict(now: number): void {
    if (this.windows.size <= MAX_ADDRESSES) return;
    for (const [address, window] of this.windows) {
      if (this.windows.size <= MAX_ADDRESSES) return;
      // Insertion order is start order: the first entries are the oldest windows.
      if (now - window.startedAt >= WINDOW_MS || this.windows.size > MAX_ADDRESSES) {
        this.windows.delete(address);
      }
    }
  }
}
