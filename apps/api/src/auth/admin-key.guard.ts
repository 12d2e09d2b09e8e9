import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request } from 'express';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';

/**
 * Admin-only endpoints (and, until API keys with roles and scopes land, the invoice endpoints):
 * `Authorization: Bearer <ADMIN_API_KEY>`, compared in constant time. In sandbox mode without ADMIN_API_KEY, a
 * key generated once in DATA_DIR/admin-api-key (mode 0600) is used, so a fresh clone can invoice at once.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: AppConfig) {
    const key =
      config.security.adminApiKey ?? (config.afip.environment === 'sandbox' ? sandboxKey(config) : undefined);
    this.expected = key ? digest(key) : undefined;
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

function sandboxKey(config: AppConfig): string {
  const file = join(config.database.dataDir, 'admin-api-key');
  if (!existsSync(file)) {
    mkdirSync(config.database.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    new Logger('Gateway').warn(`no ADMIN_API_KEY: generated a sandbox admin key in ${file}`);
  }
  return readFileSync(file, 'utf8').trim();
}
