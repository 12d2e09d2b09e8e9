import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';

/**
 * Admin-only endpoints, until API keys with roles and scopes land: `Authorization: Bearer <ADMIN_API_KEY>`,
 * compared in constant time.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: AppConfig) {
    this.expected = config.security.adminApiKey ? digest(config.security.adminApiKey) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const presented = /^Bearer (.+)$/.exec(header)?.[1];
    if (!this.expected)
      throw new AppError('UNAUTHORIZED', 'admin endpoints need ADMIN_API_KEY to be configured');
    if (!presented) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer <api key>');
    if (!timingSafeEqual(digest(presented), this.expected))
      throw new AppError('UNAUTHORIZED', 'unknown API key');
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
