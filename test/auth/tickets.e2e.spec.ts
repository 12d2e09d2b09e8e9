import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { SoapTransport } from '#libs/afip-soap';
import { createTestDatabase, FEV1, startNtpResponder, wsfeEnvelope } from '#libs/testing';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../apps/api/src/audit/canonical-json.js';
import { facturaB } from '../billing/billing-harness.js';
import { ADMIN_KEY, ticketGateway, ticketWorld } from './ticket-harness.js';

const CUIT = '20123456789';

describe('WSAA tickets: one login per (CUIT, service) for the whole cluster', () => {
  const world = ticketWorld();
  const transport = new SoapTransport();
  afterAll(() => transport.close());

  it('serves 1,000 WSFEv1 calls with exactly one login', async () => {
    const gateway = await ticketGateway(world.db, world.sandbox, world.dataDir);
    try {
      let next = 0;
      const answers: string[] = [];
      await Promise.all(
        Array.from({ length: 25 }, async () => {
          while (next++ < 1000) {
            const ticket = await gateway.tickets.get(CUIT, 'wsfe');
            const body = wsfeEnvelope('FECompUltimoAutorizado', '<PtoVta>1</PtoVta><CbteTipo>6</CbteTipo>', {
              token: ticket.token,
              sign: ticket.sign,
              cuit: Number(CUIT),
            });
            answers.push(
              (
                await transport.call({
                  url: world.sandbox.wsfeUrl,
                  body,
                  soapAction: `${FEV1}FECompUltimoAutorizado`,
                  timeoutMs: 5000,
                })
              ).body,
            );
          }
        }),
      );
      expect(answers).toHaveLength(1000);
      expect(answers.filter((answer) => answer.includes('<Errors>'))).toEqual([]);
      expect(world.loginsFor(CUIT)).toBe(1);
    } finally {
      await gateway.app.close();
    }
  });

  it('reuses the cluster ticket after a restart instead of logging in again', async () => {
    const before = world.loginsFor(CUIT);
    const gateway = await ticketGateway(world.db, world.sandbox, world.dataDir);
    try {
      const tickets = await Promise.all(Array.from({ length: 50 }, () => gateway.tickets.get(CUIT)));
      expect(new Set(tickets.map((ticket) => ticket.token)).size).toBe(1);
      expect(world.loginsFor(CUIT)).toBe(before);
    } finally {
      await gateway.app.close();
    }
  });

  it('lets two instances started together on one database log in once, both served', async () => {
    const shared = await createTestDatabase();
    const cuit = '20111111112';
    const [a, b] = await Promise.all([
      ticketGateway(shared, world.sandbox, world.dataDir),
      ticketGateway(shared, world.sandbox, world.dataDir),
    ]);
    try {
      const tickets = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).tickets.get(cuit)),
      );
      expect(new Set(tickets.map((ticket) => ticket.token)).size).toBe(1);
      expect(world.loginsFor(cuit)).toBe(1);
    } finally {
      await Promise.all([a.app.close(), b.app.close()]);
      await shared.drop();
    }
  });

  it('records each login as one entry of the hash-chained audit trail, with no token or sign in it', async () => {
    const entries = await world.db.query<{
      kind: string;
      actor: string;
      subject: string;
      cuit: string | null;
      payload: Record<string, unknown>;
      occurred_at: Date;
      prev_hash: string;
      hash: string;
    }>(
      'SELECT kind, actor, subject, cuit::text, payload, occurred_at, prev_hash, hash FROM audit_entry ORDER BY seq',
    );
    // The bootstrap admin key's creation comes first, then the one login.
    expect(entries.rows.map((row) => row.kind)).toEqual(['api_key.created', 'ticket.issued']);
    expect(entries.rows[1]?.subject).toBe(`ticket/sandbox/${CUIT}/wsfe`);
    let previous = '0'.repeat(64);
    for (const row of entries.rows) {
      const canonical = canonicalJson({
        kind: row.kind,
        actor: row.actor,
        subject: row.subject,
        cuit: row.cuit ?? undefined,
        payload: row.payload,
        occurredAt: row.occurred_at,
      });
      expect(row.prev_hash).toBe(previous);
      expect(row.hash).toBe(createHash('sha256').update(previous).update(canonical).digest('hex'));
      previous = row.hash;
    }
    expect(JSON.stringify(entries.rows)).not.toMatch(/PD94|"token"|"sign"/);
    expect(entries.rows[1]?.payload).toMatchObject({
      service: 'wsfe',
      environment: 'sandbox',
      certificate: `SERIALNUMBER=CUIT ${CUIT}, CN=arca-gateway-${CUIT}`,
    });
  });

  it('stores token and sign encrypted, and shows admins the status only', async () => {
    const rows = await world.db.query<{ token_enc: Buffer; sign_enc: Buffer }>(
      'SELECT token_enc, sign_enc FROM access_ticket',
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) {
      expect(row.token_enc.toString('latin1')).not.toContain('PD94');
      expect(row.token_enc.length).toBeGreaterThan(28);
    }
    const gateway = await ticketGateway(world.db, world.sandbox, world.dataDir);
    try {
      const http = request(gateway.app.getHttpServer());
      await http.get('/v1/tickets').expect(401);
      await http.get('/v1/tickets').set('Authorization', 'Bearer wrong-key').expect(401);
      const listed = await http.get('/v1/tickets').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
      expect(listed.body).toEqual([
        expect.objectContaining({
          cuit: CUIT,
          service: 'wsfe',
          environment: 'sandbox',
          state: 'valid',
          obtainedBy: expect.stringMatching(/:\d+$/),
        }),
      ]);
      expect(JSON.stringify(listed.body)).not.toMatch(/token|sign|PD94/i);
      await http.post('/v1/tickets/123/wsfe').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(400);
    } finally {
      await gateway.app.close();
    }
  });
});

describe('WSAA tickets: renewal and refusals', () => {
  const world = ticketWorld(1500);

  it('renews a ticket near expiry from the job, before any request needs it', async () => {
    const gateway = await ticketGateway(world.db, world.sandbox, world.dataDir);
    try {
      const first = await gateway.tickets.get('20222222223');
      await new Promise((resolve) => setTimeout(resolve, 1600)); // past the sandbox's alreadyAuthenticated window
      await world.db.query(
        `UPDATE access_ticket SET expiration_time = now() + interval '30 minutes' WHERE cuit = 20222222223`,
      );
      expect(await gateway.job.refresh()).toBe(1);
      const stored = await world.db.query<{ expiration_time: Date }>(
        'SELECT expiration_time FROM access_ticket WHERE cuit = 20222222223',
      );
      expect(stored.rows[0]?.expiration_time.getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
      expect(world.loginsFor('20222222223')).toBe(2);
      const renewed = await gateway.tickets.get('20222222223');
      expect(renewed.token).not.toBe(first.token);
      expect(await gateway.job.refresh()).toBe(0);
    } finally {
      await gateway.app.close();
    }
  });

  it('answers coe.alreadyAuthenticated by waiting out the window, never by failing the caller', async () => {
    const [gateway, other] = await Promise.all([
      ticketGateway(world.db, world.sandbox, world.dataDir),
      ticketGateway(world.db, world.sandbox, world.dataDir),
    ]);
    try {
      await gateway.tickets.get('20333333334');
      // The stored ticket is lost (say, a restored backup): WSAA still remembers the one it issued.
      await world.db.query('DELETE FROM access_ticket WHERE cuit = 20333333334');
      const started = Date.now();
      const ticket = await other.tickets.get('20333333334');
      expect(ticket.token).toBeTruthy();
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(world.loginsFor('20333333334')).toBe(2);
    } finally {
      await Promise.all([gateway.app.close(), other.app.close()]);
    }
  });

  it('names the CUIT and the file when a certificate is unusable, and passes on WSAA refusals with their code', async () => {
    const homologation = await import('../../apps/api/src/config/app.config.js');
    const { createGateway } = await import('../../apps/api/src/gateway.js');
    const { freePort } = await import('#libs/testing');
    const config = homologation.loadConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: world.db.url,
      DATA_DIR: world.dataDir,
      AFIP_ENV: 'homologation',
      AFIP_WSAA_URL: world.sandbox.wsaaUrl,
      AFIP_WSFE_URL: world.sandbox.wsfeUrl,
      AFIP_CERTS_DIR: join(world.dataDir, 'homo-certs'),
      TICKET_ENCRYPTION_KEY: 'ab'.repeat(32),
      NTP_SERVER: `127.0.0.1:${await freePort()}`,
      ADMIN_API_KEY: ADMIN_KEY,
      METRICS_TOKEN: 'metrics-token-for-tests',
    });
    const app = await createGateway(config);
    await app.init();
    try {
      const http = request(app.getHttpServer());
      const missing = await http
        .post('/v1/tickets/20999999999/wsfe')
        .set('Authorization', `Bearer ${ADMIN_KEY}`)
        .expect(503);
      expect(missing.body).toMatchObject({
        code: 'MISCONFIGURED',
        message: `CUIT 20999999999: ${join(world.dataDir, 'homo-certs', '20999999999.crt')} is missing (expected ${join(world.dataDir, 'homo-certs', '20999999999.crt')} and ${join(world.dataDir, 'homo-certs', '20999999999.key')})`,
      });
      // Any other key learns the CUIT and what is missing, never the server's paths.
      const pos = await http
        .post('/v1/api-keys')
        .set('Authorization', `Bearer ${ADMIN_KEY}`)
        .send({ name: 'caja', role: 'pos', cuits: [20999999999], ptoVtas: [1] })
        .expect(201);
      const invoice = facturaB();
      const posView = await http
        .post('/v1/invoices')
        .set('Authorization', `Bearer ${pos.body.key as string}`)
        .send({ ...invoice, Auth: { Cuit: 20999999999 } })
        .expect(503);
      expect(posView.body).toMatchObject({
        code: 'MISCONFIGURED',
        message: 'CUIT 20999999999 has no certificate and private key installed in the gateway',
      });
      expect(JSON.stringify(posView.body)).not.toContain(world.dataDir);
      // A certificate from another CA: WSAA answers cms.cert.untrusted, the client gets it with the code.
      const { DevCa } = await import('#libs/pki');
      const stranger = await DevCa.loadOrCreate(join(world.dataDir, 'stranger-ca'));
      await stranger.writeCuitCertificate(join(world.dataDir, 'homo-certs'), { cuit: '20888888889' });
      const refused = await http
        .post('/v1/tickets/20888888889/wsfe')
        .set('Authorization', `Bearer ${ADMIN_KEY}`)
        .expect(502);
      expect(refused.body).toMatchObject({
        code: 'AFIP_AUTH_REFUSED',
        message:
          'WSAA refused the login for CUIT 20888888889: cms.cert.untrusted: Certificado no emitido por AC de confianza',
        details: { wsaaCode: 'cms.cert.untrusted' },
      });
    } finally {
      await app.close();
    }
  });
});

describe('WSAA tickets: the clock', () => {
  const world = ticketWorld();

  const twentyMinutesFast = () => Date.now() + 20 * 60_000;

  it('logs in with the system clock 20 minutes fast when a local NTP server tells the truth', async () => {
    const ntp = await startNtpResponder();
    const gateway = await ticketGateway(
      world.db,
      world.sandbox,
      world.dataDir,
      { systemNow: twentyMinutesFast },
      { NTP_SERVER: ntp.address },
    );
    try {
      await expect(gateway.tickets.get('20444444445')).resolves.toMatchObject({ token: expect.any(String) });
    } finally {
      await gateway.app.close();
      await ntp.close();
    }
  });

  it('is refused by WSAA with that clock and no NTP server, and says so with ARCA code', async () => {
    const { freePort } = await import('#libs/testing');
    const gateway = await ticketGateway(
      world.db,
      world.sandbox,
      world.dataDir,
      { systemNow: twentyMinutesFast },
      { NTP_SERVER: `127.0.0.1:${await freePort()}` },
    );
    try {
      await expect(gateway.tickets.get('20555555556')).rejects.toMatchObject({
        code: 'AFIP_AUTH_REFUSED',
        details: { wsaaCode: 'xml.generationTime.invalid' },
      });
    } finally {
      await gateway.app.close();
    }
  });
});
