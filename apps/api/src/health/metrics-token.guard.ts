import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';

/**
 * GET /metrics with METRICS_TOKEN set: the bearer token must match (compared as SHA-256 digests, in constant time
 * whatever the lengths). A guard rather than a check in the handler, so the 401 leaves before the route's
 * Prometheus Content-Type is applied and goes out as the usual JSON error body.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const token = this.config.security.metricsToken;
    if (token === undefined) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const presented = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), digest(token))) {
      throw new AppError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    return true;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
