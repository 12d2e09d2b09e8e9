import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { AuthOptions } from '../../apps/api/src/auth/auth.tokens.js';
import { TicketRefreshJob } from '../../apps/api/src/auth/ticket-refresh.job.js';
import { TicketService } from '../../apps/api/src/auth/ticket.service.js';
import { loadConfig } from '../../apps/api/src/config/app.config.js';
import { createGateway } from '../../apps/api/src/gateway.js';
import {
  createTestDatabase,
  startNtpResponder,
  startTestSandbox,
  type TestDatabase,
  type TestSandbox,
} from '#libs/testing';

let ntp: ReturnType<typeof startNtpResponder> | undefined;
/** One local NTP server telling the truth for every gateway of a test file (an unreachable one costs 1.5 s). */
function sharedNtp() {
  ntp ??= startNtpResponder();
  return ntp;
}

export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghijkl';

/** A sandbox whose CA the gateways use: its state lives in `<dataDir>/sandbox`, as the embedded one's does. */
export async function sandboxFor(dataDir: string, alreadyAuthenticatedMs = 120_000): Promise<TestSandbox> {
  mkdirSync(join(dataDir, 'sandbox'), { recursive: true });
  return startTestSandbox({ stateDir: join(dataDir, 'sandbox'), alreadyAuthenticatedMs });
}

export interface TicketGateway {
  app: INestApplication;
  tickets: TicketService;
  job: TicketRefreshJob;
}

/** A gateway on `db` using `sandbox` as ARCA, with a test admin key and an NTP server that never answers. */
export async function ticketGateway(
  db: TestDatabase,
  sandbox: TestSandbox,
  dataDir: string,
  auth: Partial<AuthOptions> = {},
  env: Record<string, string> = {},
): Promise<TicketGateway> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    AFIP_ENV: 'sandbox',
    AFIP_WSAA_URL: sandbox.wsaaUrl,
    AFIP_WSFE_URL: sandbox.wsfeUrl,
    NTP_SERVER: (await sharedNtp()).address,
    ADMIN_API_KEY: ADMIN_KEY,
    ...env,
  });
  const app = await createGateway(config, { auth: { alreadyAuthenticatedPollMs: 200, ...auth } });
  await app.init();
  return { app, tickets: app.get(TicketService), job: app.get(TicketRefreshJob) };
}

export interface TicketWorld {
  dataDir: string;
  sandbox: TestSandbox;
  db: TestDatabase;
  /** Logins the sandbox granted to this CUIT so far. */
  loginsFor(cuit: string): number;
}

/** For one describe block: a data directory, a sandbox whose CA lives in it, and a database. */
export function ticketWorld(alreadyAuthenticatedMs?: number): TicketWorld {
  const world = {
    dataDir: mkdtempSync(join(tmpdir(), 'arca-tickets-')),
    loginsFor: (cuit: string) => world.sandbox.logins.logins.filter((login) => login.cuit === cuit).length,
  } as TicketWorld;
  beforeAll(async () => {
    world.sandbox = await sandboxFor(world.dataDir, alreadyAuthenticatedMs);
    world.db = await createTestDatabase();
  });
  afterAll(async () => {
    await world.sandbox.stop();
    await world.db.drop();
    rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}
