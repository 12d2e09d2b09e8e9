import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, isProcessAlive } from '#libs/testing';
import { spawnGateway } from '../support/gateway-process.js';

async function embeddedQuery(dataDir: string, port: number, sql: string) {
  const password = readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim();
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'arca_gateway',
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// Whole processes with their own PostgreSQL: slow on a loaded 2-core machine, hence the long timeout.
describe('the gateway as a process (npm start)', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-process-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded database, keeps its data across a restart and stops PostgreSQL on SIGINT/SIGTERM', async () => {
    const [port, dbPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_DB_PORT: String(dbPort),
      SANDBOX_PORT: String(sandboxPort),
    };

    const first = spawnGateway(env);
    const ready = await first.waitFor(/arca-gateway ready/);
    expect(JSON.parse(ready).msg).toBe(
      `arca-gateway ready: API http://localhost:${port}/v1, docs http://localhost:${port}/docs, health ` +
        `http://localhost:${port}/health/ready (AFIP_ENV=sandbox, ARCA sandbox on port ${sandboxPort}, database: embedded ` +
        `PostgreSQL, data in ${dataDir})`,
    );
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    const docs = (await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json()) as {
      info: { title: string };
    };
    expect(docs.info.title).toBe('arca-gateway');
    const dummy = await fetch(`http://127.0.0.1:${sandboxPort}/wsfev1/service.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '"http://ar.gov.afip.dif.FEV1/FEDummy"' },
      body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
    });
    expect(await dummy.text()).toContain('<AppServer>OK</AppServer>');
    await embeddedQuery(
      dataDir,
      dbPort,
      `INSERT INTO api_key (id, name, key_hash, key_prefix, role) VALUES (gen_random_uuid(), 'kept', repeat('b', 64), 'ak_', 'auditor')`,
    );
    const postgresPid = Number(
      readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(isProcessAlive(postgresPid)).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = spawnGateway(env);
    await second.waitFor(/arca-gateway ready/);
    expect(second.stdout.join('\n')).not.toContain('initialising a new PostgreSQL cluster');
    // The row written before the restart is kept, and the generated bootstrap admin key is registered once.
    expect(await embeddedQuery(dataDir, dbPort, 'SELECT name FROM api_key ORDER BY name')).toEqual([
      { name: 'bootstrap admin (ADMIN_API_KEY)' },
      { name: 'kept' },
    ]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(143);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('uses DATABASE_URL when given and starts no PostgreSQL of its own', async () => {
    const db = await createTestDatabase();
    const emptyDataDir = join(dataDir, 'unused');
    const port = await freePort();
    const gateway = spawnGateway({
      PORT: String(port),
      DATABASE_URL: db.url,
      DATA_DIR: emptyDataDir,
      AFIP_WSFE_URL: 'http://127.0.0.1:9/wsfev1/service.asmx',
    });
    const ready = await gateway.waitFor(/arca-gateway ready/);
    expect(ready).toContain('database: DATABASE_URL');
    expect(existsSync(join(emptyDataDir, 'postgres'))).toBe(false);
    expect((await db.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0].n).toBeGreaterThan(
      0,
    );
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    await db.drop();
  });

  it('keeps secrets out of its logs and its answers: keys, tokens, signs, CMS', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const adminKey = 'ADMINKEY-0123456789-abcdefghijklmnop';
    const gateway = spawnGateway({
      PORT: String(port),
      DATABASE_URL: db.url,
      LOG_LEVEL: 'debug',
      SANDBOX_PORT: String(await freePort()),
      DATA_DIR: join(dataDir, 'secrets'),
      ADMIN_API_KEY: adminKey,
      METRICS_TOKEN: 'METRICSTOKEN-0123456789',
      NTP_SERVER: `127.0.0.1:${await freePort()}`,
    });
    await gateway.waitFor(/arca-gateway ready/);
    const base = `http://127.0.0.1:${port}`;
    const admin = { authorization: `Bearer ${adminKey}` };
    const ensured = await fetch(`${base}/v1/tickets/20123456789/wsfe`, { method: 'POST', headers: admin });
    expect(ensured.status).toBe(200);
    const listed = await (await fetch(`${base}/v1/tickets`, { headers: admin })).text();
    await fetch(`${base}/v1/invoices?x=1`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer ak_SUPERSECRET_123',
        cookie: 'session=COOKIESECRET',
        'content-type': 'application/json',
      },
      body: '{"not json',
    });
    await fetch(`${base}/v1/nope`, { headers: { authorization: 'Bearer ak_SUPERSECRET_123' } });
    const scraped = await fetch(`${base}/metrics`, {
      headers: { authorization: 'Bearer METRICSTOKEN-0123456789' },
    });
    expect(scraped.status).toBe(200);
    expect(
      (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer METRICSTOKEN-wrong' } })).status,
    ).toBe(401);
    await gateway.waitFor(/"url":"\/v1\/nope"/);
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    await db.drop();
    const logs = [...gateway.stdout, ...gateway.stderr].join('\n');
    expect(logs).toContain('ticket issued cuit=20123456789 service=wsfe');
    expect(logs).toMatch(/NTP server 127\.0\.0\.1:\d+ did not answer .*: using the system clock/);
    expect(logs).toContain('refused');
    for (const text of [logs, listed]) {
      expect(text).not.toMatch(/SUPERSECRET|COOKIESECRET|ADMINKEY|METRICSTOKEN/);
      expect(text).not.toContain('PD94bWwg'); // every token starts so: base64 of "<?xml "
      expect(text).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
      expect(text).not.toMatch(/[A-Za-z0-9+/]{100,}={0,2}/);
    }
    expect(logs).not.toContain(db.url.split('@')[0]?.split(':')[2] ?? 'never');
  });

  it('says which port is taken when the embedded sandbox cannot listen', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const db = await createTestDatabase();
    try {
      const gateway = spawnGateway({
        PORT: String(await freePort()),
        DATABASE_URL: db.url,
        SANDBOX_PORT: String(taken),
        DATA_DIR: join(dataDir, 'busy'),
      });
      expect(await gateway.exited).toBe(1);
      expect(gateway.stderr.join('\n')).toContain(
        `arca-gateway: start failed: SANDBOX_PORT ${taken} is in use`,
      );
    } finally {
      blocker.close();
      await db.drop();
    }
  });

  it.each([
    [
      { PORT: 'eighty' },
      'arca-gateway: configuration error: PORT must be an integer from 1 to 65535 (got "eighty")',
    ],
    [
      { AFIP_ENV: 'prod' },
      'arca-gateway: configuration error: AFIP_ENV must be one of sandbox | homologation | production (got "prod")',
    ],
  ])('refuses to start with %o, naming the variable', async (env, message) => {
    const gateway = spawnGateway(env);
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr).toEqual([message]);
  });
});
