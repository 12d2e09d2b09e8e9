import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../apps/api/src/config/app.config.js';
import { createGateway } from '../../apps/api/src/gateway.js';
import { createTestDatabase, freePort, type TestDatabase } from '#libs/testing';

export interface TestGateway {
  app: INestApplication;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real gateway (same factory as main.ts) on a fresh migrated database of the run's PostgreSQL. */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-gateway-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SANDBOX_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ...env,
    DATABASE_URL: db.url,
  });
  const app = await createGateway(config);
  await app.init();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects what a pino logger writes, to assert on log lines. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }
}
