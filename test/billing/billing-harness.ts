import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { BillingOptions } from '../../apps/api/src/billing/billing.options.js';
import { UNNUMBERED_INVOICE_EXAMPLE } from '../../apps/api/src/billing/invoice-request.dto.js';
import { loadConfig } from '../../apps/api/src/config/app.config.js';
import { createGateway } from '../../apps/api/src/gateway.js';
import { createTestDatabase, startTestSandbox, type TestDatabase, type TestSandbox } from '#libs/testing';
import { ADMIN_KEY } from '../auth/ticket-harness.js';
import type { FaultRule, SandboxOptions } from '#sandbox';
import type { AuthOptions } from '../../apps/api/src/auth/auth.tokens.js';

export { ADMIN_KEY };
export const CUIT = 20123456789;

/** The example without CbteDesde, CbteHasta and CbteFch (the gateway numbers and dates it). */
export function facturaB(overrides: Record<string, unknown> = {}, ptoVta = 1) {
  const { FeCAEReq } = UNNUMBERED_INVOICE_EXAMPLE;
  return {
    Auth: { Cuit: CUIT },
    FeCAEReq: {
      FeCabReq: { ...FeCAEReq.FeCabReq, PtoVta: ptoVta },
      FeDetReq: { FECAEDetRequest: { ...FeCAEReq.FeDetReq.FECAEDetRequest, ...overrides } },
    },
  };
}

export interface BillingWorld {
  dataDir: string;
  sandbox: TestSandbox;
  db: TestDatabase;
  /** The sandbox's request log: one line per SOAP request, e.g. `wsfe FECAESolicitar -> HTTP 200 ...`. */
  sandboxLog: string[];
  /** How many requests for `operation` reached the sandbox so far. */
  calls(operation: string): number;
  /** A WSFEv1 fault that hits the next `count` (default 1) requests for `operation`. */
  fault(operation: string, kind: FaultRule['kind'], more?: Partial<FaultRule>): void;
  /** A gateway on the world's database and sandbox, listening on a free port; closed after the file. */
  gateway(
    billing?: Partial<BillingOptions>,
    env?: Record<string, string>,
    auth?: Partial<AuthOptions>,
  ): Promise<{ app: INestApplication; url: string }>;
}

/** For one test file: a sandbox, a database, and gateways on both, all real and over HTTP. */
export function billingWorld(sandboxOptions: Partial<SandboxOptions> = {}): BillingWorld {
  const apps: INestApplication[] = [];
  const world = {
    dataDir: mkdtempSync(join(tmpdir(), 'arca-billing-')),
    sandboxLog: [] as string[],
    calls: (operation: string) =>
      world.sandboxLog.filter((line) => line.startsWith(`wsfe ${operation} ->`)).length,
    fault: (operation: string, kind: FaultRule['kind'], more: Partial<FaultRule> = {}) => {
      world.sandbox.faults.add({
        id: `${operation}-${kind}-${Math.random().toString(36).slice(2)}`,
        service: 'wsfe',
        operation,
        kind,
        probability: 1,
        count: 1,
        ...more,
      });
    },
    gateway: async (
      billing: Partial<BillingOptions> = {},
      env: Record<string, string> = {},
      auth: Partial<AuthOptions> = {},
    ) => {
      const config = loadConfig({
        LOG_LEVEL: process.env.SPEC_LOG_LEVEL ?? 'silent',
        DATABASE_URL: world.db.url,
        DATA_DIR: world.dataDir,
        AFIP_ENV: 'sandbox',
        AFIP_WSAA_URL: world.sandbox.wsaaUrl,
        AFIP_WSFE_URL: world.sandbox.wsfeUrl,
        NTP_SERVER: '127.0.0.1:9',
        ADMIN_API_KEY: ADMIN_KEY,
        // Specs refuse many requests from 127.0.0.1 on purpose; the limit has its own spec.
        REFUSAL_LIMIT_PER_MINUTE: '0',
        ...env,
      });
      const app = await createGateway(config, {
        billing: { retryInitialDelayMs: 20, retryMaxDelayMs: 100, ...billing },
        auth,
      });
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      return { app, url: await app.getUrl() };
    },
  } as BillingWorld;
  beforeAll(async () => {
    mkdirSync(join(world.dataDir, 'sandbox'), { recursive: true });
    world.sandbox = await startTestSandbox({
      stateDir: join(world.dataDir, 'sandbox'),
      log: (line) => world.sandboxLog.push(line),
      ...sandboxOptions,
    });
    world.db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await world.sandbox?.stop();
    await world.db?.drop();
    rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}

/** A JSON answer, read loosely as tests do. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = Record<string, any>;

/** POST /v1/invoices over HTTP with the test key (a string body is sent as it is). */
export function postInvoice(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: JsonBody; text: string }> {
  return call(url, 'POST', '/v1/invoices', { body, headers });
}

/** A JSON request over HTTP with a bearer key (the admin's by default; null for none). */
export async function call(
  url: string,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: JsonBody; text: string }> {
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body:
      options.body === undefined || typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: JsonBody;
  try {
    json = JSON.parse(text) as JsonBody;
  } catch {
    json = { raw: text };
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** A new API key made by the admin; returns the key itself and its id. */
export async function createKey(
  url: string,
  scope: { role: 'admin' | 'pos' | 'auditor'; cuits?: number[]; ptoVtas?: number[]; name?: string },
): Promise<{ id: string; key: string }> {
  const created = await call(url, 'POST', '/v1/api-keys', { body: { name: `test ${scope.role}`, ...scope } });
  if (created.status !== 201) throw new Error(`key not created: ${created.status} ${created.text}`);
  return { id: created.json.id as string, key: created.json.key as string };
}
