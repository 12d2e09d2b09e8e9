import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { ApiKeyRepository } from './api-key.repository.js';
import type { Principal } from './principal.js';
import { RefusalLimiter } from './refusal-limiter.js';

/** A refused request: who (when known), from where, and the CUITs or points of sale it asked for. */
export interface Refusal {
  address: string;
  method: string;
  path: string;
  principal?: Principal;
  /** A cross-scope attempt: what was asked and where the request named it. */
  asked?: { kind: string; value: string; from: string }[];
}

/**
 * Every 401 and 403 of the API goes through here: counted per client address (over the limit it becomes a 429),
 * and a key's attempt outside its scope leaves an `access.refused` audit entry naming the key and what it asked.
 */
@Injectable()
export class AccessRefusals {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly limiter: RefusalLimiter,
    private readonly keys: ApiKeyRepository,
  ) {}

  /** The error to throw instead of `error` (the same one, or a 429 for an address over its limit). */
  async refuse(error: AppError, refusal: Refusal): Promise<AppError> {
    const wait = this.limiter.refused(refusal.address);
    if (wait !== undefined) {
      return new AppError(
        'RATE_LIMITED',
        `too many refused requests from this address; retry after ${wait} s`,
        undefined,
        { retryAfterSeconds: wait },
      );
    }
    const { principal, asked } = refusal;
    if (principal && asked && asked.length > 0) {
      this.logger.warn(
        `${principal.role} key ${principal.name} (${principal.keyId}) refused outside its scope: ${refusal.method} ${refusal.path} ` +
          asked.map((item) => `${item.from}=${item.value}`).join(' '),
      );
      await this.keys
        .recordRefusal(principal.keyId, {
          method: refusal.method,
          path: refusal.path,
          role: principal.role,
          scope: { cuits: principal.cuits, ptoVtas: principal.ptoVtas },
          asked,
          reason: error.message,
        })
        .catch((failure: unknown) =>
          this.logger.error({ err: failure }, 'the audit entry of a refused request could not be written'),
        );
    }
    return error;
  }
}
