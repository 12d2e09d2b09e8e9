import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import type { Principal } from '../access/principal.js';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';

/**
 * POST /v1/invoices in flight at once in this replica, per API key and per CUIT (INFLIGHT_PER_KEY,
 * INFLIGHT_PER_CUIT): past either, a 503 with Retry-After at once, nothing written or sent, so one noisy terminal
 * or tenant cannot fill the replica's queues for everyone else.
 */
@Injectable()
export class InflightLimitInterceptor implements NestInterceptor {
  private readonly byKey = new Map<string, number>();
  private readonly byCuit = new Map<string, number>();

  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context
      .switchToHttp()
      .getRequest<{ principal?: Principal; body?: { Auth?: { Cuit?: unknown } } }>();
    const key = request.principal?.keyId ?? '';
    const cuit = String(request.body?.Auth?.Cuit ?? '');
    const { inflightPerKey, inflightPerCuit } = this.config.security;
    if ((this.byKey.get(key) ?? 0) >= inflightPerKey) {
      throw busy(`this API key has ${inflightPerKey} sales in flight in this replica (INFLIGHT_PER_KEY)`);
    }
    if ((this.byCuit.get(cuit) ?? 0) >= inflightPerCuit) {
      throw busy(`CUIT ${cuit} has ${inflightPerCuit} sales in flight in this replica (INFLIGHT_PER_CUIT)`);
    }
    add(this.byKey, key, 1);
    add(this.byCuit, cuit, 1);
    return next.handle().pipe(
      finalize(() => {
        add(this.byKey, key, -1);
        add(this.byCuit, cuit, -1);
      }),
    );
  }
}

function add(counts: Map<string, number>, id: string, delta: number): void {
  const value = (counts.get(id) ?? 0) + delta;
  if (value <= 0) counts.delete(id);
  else counts.set(id, value);
}

function busy(what: string): AppError {
  return new AppError('UNAVAILABLE', `${what}; nothing was done for this sale, try again`, undefined, {
    retryAfterSeconds: 1,
  });
}
