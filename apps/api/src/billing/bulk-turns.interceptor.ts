import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { finalize, from, mergeMap, type Observable } from 'rxjs';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';

/** A sale of more vouchers than this is bulk: its validation, numbering and storing cost the process 50-150 ms. */
export const BULK_VOUCHERS = 10;
/** Bulk sales of one CUIT waiting for their turn; one more is refused at once (503) instead of held in memory. */
export const MAX_WAITING = 100;

/** One CUIT's bulk sales: how many are being worked on, and the ones waiting, oldest first. */
interface Turns {
  running: number;
  waiting: ((release: () => void) => void)[];
}

/**
 * POST /v1/invoices: a CUIT's bulk sales are worked on BULK_PER_CUIT at a time in this replica, the rest waiting in
 * order (before validation: a waiting body costs memory, not time). Measured with the bench's noisy neighbour: a
 * tenant sending 250-voucher bodies from 40 connections otherwise kept the event loop busy, and another tenant's
 * single sale waited behind its work at every step. A turn not had within BULK_WAIT_MS is a 503 with Retry-After,
 * nothing done. Sales of up to BULK_VOUCHERS vouchers never wait here.
 */
@Injectable()
export class BulkTurnsInterceptor implements NestInterceptor {
  private readonly turns = new Map<string, Turns>();

  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body = context.switchToHttp().getRequest<{ body?: BulkBody }>().body;
    const details = body?.FeCAEReq?.FeDetReq?.FECAEDetRequest;
    if (!Array.isArray(details) || details.length <= BULK_VOUCHERS) return next.handle();
    const cuit = String(body?.Auth?.Cuit ?? '');
    return from(this.turn(cuit)).pipe(mergeMap((release) => next.handle().pipe(finalize(release))));
  }

  /** Resolves with the function that ends the turn once the CUIT has one; rejects with a 503 when it cannot. */
  private turn(cuit: string): Promise<() => void> {
    const { bulkPerCuit, bulkWaitMs } = this.config.security;
    const turns = this.turns.get(cuit) ?? { running: 0, waiting: [] };
    this.turns.set(cuit, turns);
    const release = this.releaser(cuit, turns);
    if (turns.running < bulkPerCuit) {
      turns.running += 1;
      return Promise.resolve(release);
    }
    if (turns.waiting.length >= MAX_WAITING) {
      return Promise.reject(busy(`CUIT ${cuit} has ${MAX_WAITING} bulk sales waiting in this replica`));
    }
    return new Promise((resolve, reject) => {
      const granted = (end: () => void) => {
        clearTimeout(timer);
        resolve(end);
      };
      const timer = setTimeout(() => {
        turns.waiting.splice(turns.waiting.indexOf(granted), 1);
        reject(
          busy(
            `CUIT ${cuit}'s bulk sales (more than ${BULK_VOUCHERS} vouchers) are worked on ${bulkPerCuit} at a ` +
              `time (BULK_PER_CUIT) and this one waited ${bulkWaitMs} ms (BULK_WAIT_MS)`,
          ),
        );
      }, bulkWaitMs);
      turns.waiting.push(granted);
    });
  }

  /** Ends a turn once: hands it to the oldest waiting sale of the CUIT, or frees it. */
  private releaser(cuit: string, turns: Turns): () => void {
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const next = turns.waiting.shift();
      if (next) {
        next(this.releaser(cuit, turns));
        return;
      }
      turns.running -= 1;
      if (turns.running === 0) this.turns.delete(cuit);
    };
  }
}

interface BulkBody {
  Auth?: { Cuit?: unknown };
  FeCAEReq?: { FeDetReq?: { FECAEDetRequest?: unknown } };
}

function busy(what: string): AppError {
  return new AppError('UNAVAILABLE', `${what}; nothing was done for this sale, try again`, undefined, {
    retryAfterSeconds: 2,
  });
}
