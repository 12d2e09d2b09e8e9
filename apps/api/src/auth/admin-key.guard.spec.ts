import type { ExecutionContext } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app.config.js';
import { AdminKeyGuard } from './admin-key.guard.js';

const dataDir = mkdtempSync(join(tmpdir(), 'admin-key-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const config = (environment: string, adminApiKey?: string) =>
  ({ afip: { environment }, security: { adminApiKey }, database: { dataDir } }) as unknown as AppConfig;
const presenting = (key: string) =>
  ({
    switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${key}` } }) }),
  }) as ExecutionContext;

describe('AdminKeyGuard', () => {
  it('generates a sandbox key once, private to its owner, and accepts only it', () => {
    const guard = new AdminKeyGuard(config('sandbox'));
    const file = join(dataDir, 'admin-api-key');
    const key = readFileSync(file, 'utf8').trim();
    expect(key).toMatch(/^[\w-]{32}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(guard.canActivate(presenting(key))).toBe(true);
    expect(() => guard.canActivate(presenting(`${key}x`))).toThrow('unknown API key');
    new AdminKeyGuard(config('sandbox'));
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
  });

  it('never generates one outside the sandbox', () => {
    const guard = new AdminKeyGuard(config('production'));
    expect(() => guard.canActivate(presenting('anything'))).toThrow('ADMIN_API_KEY');
  });
});
