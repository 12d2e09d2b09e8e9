import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';

/**
 * GET /metrics on the API's listener: absent there when METRICS_PORT moves it to the management listener (404);
 * with METRICS_TOKEN set, the bearer token must match. A guard rather than a check in the handler, so the refusal
 * leaves before the route's Prometheus Content-Type is applied and goes out as the usual JSON error body.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.metrics.port !== undefined) {
      throw new AppError('NOT_FOUND', 'metrics are served on the management listener (METRICS_PORT)');
    }
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    if (!metricsTokenAccepted(this.config.metrics.token, header)) {
      throw new AppError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    return true;
  }
}

/**
 * Whether an Authorization header carries METRICS_TOKEN (always, when none is configured), compared as SHA-256
 * digests in constant time whatever the lengths.
 */
export function metricsTokenAccepted(token: string | undefined, header: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
