import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { AppError } from '../common/app-error.js';
import { type AuthenticatedRequest, PUBLIC_ROUTE } from './access.decorator.js';

/**
 * Rate limit per API key across all its routes (runs after AccessGuard, which names the key). Over the limit: 429
 * with `Retry-After`. Counters live in each replica's memory, so the limit applies per replica.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return Boolean(isPublic) || request.principal === undefined;
  }

  protected override getTracker(request: AuthenticatedRequest): Promise<string> {
    return Promise.resolve(request.principal!.keyId);
  }

  /** One counter per key, whatever the route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new AppError(
      'RATE_LIMITED',
      `this API key made more than ${detail.limit} requests in ${detail.ttl / 1000} s; retry after ${detail.timeToBlockExpire} s`,
      undefined,
      { retryAfterSeconds: detail.timeToBlockExpire },
    );
  }
}
