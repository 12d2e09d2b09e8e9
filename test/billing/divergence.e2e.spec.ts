import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevCa } from '#libs/pki';
import {
  billingWorld,
  call,
  createKey,
  CUIT,
  facturaB,
  type JsonBody,
  postInvoice,
} from './billing-harness.js';

const PTO = 9;
const LANE = `${CUIT}/${PTO}/6`;

describe("ARCA's numbering behind the gateway's records (an environment reset)", () => {
  const world = billingWorld();

  it('stops the lane before anything is sent, answers retries for good, and resumes after an admin resync', async () => {
    const { url } = await world.gateway();
    const auditor = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const pos = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [PTO] });
    const before: JsonBody[] = [];
    for (let sale = 0; sale < 3; sale += 1) {
      const issued = await postInvoice(url, facturaB({}, PTO));
      expect(issued.status, issued.text).toBe(201);
      before.push(issued.json);
    }
    expect(before.map((answer) => answer.invoices[0].cbteDesde)).toEqual([1, 2, 3]);

    // ARCA forgets them (homologation resets its data; here the sandbox's control API).
    expect((await fetch(`${world.sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
    const sent = world.calls('FECAESolicitar');

    const refused = await postInvoice(url, facturaB({}, PTO), { 'idempotency-key': 'after-reset' });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json).toMatchObject({ code: 'LANE_DIVERGED', details: { arcaLast: 0, gatewayLast: 3 } });
    expect(refused.json.message).toContain("ARCA's last authorized number is 0 but the gateway recorded 3");
    expect(refused.json.message).toContain(`POST /v1/lanes/${LANE}/resync`);
    // The 10016 that revealed it was the only call; nothing of the lane exists at ARCA.
    expect(world.calls('FECAESolicitar') - sent).toBe(1);
    expect(world.sandbox.store.all().filter((voucher) => voucher.ptoVta === PTO)).toEqual([]);

    // A retry with the same key gets an answer at once (no "still in flight" loop), and so does a new sale.
    const retried = await postInvoice(url, facturaB({}, PTO), { 'idempotency-key': 'after-reset' });
    expect(retried.status, retried.text).toBe(409);
    expect(retried.json.code).toBe('LANE_DIVERGED');
    const next = await postInvoice(url, facturaB({}, PTO));
    expect(next.status).toBe(409);
    expect(next.json.details).toEqual({ arcaLast: 0, gatewayLast: 3 });
    expect(world.calls('FECAESolicitar') - sent).toBe(1);

    // Operators see it: the lane listing, an audit entry, a metric.
    const lanes = await call(url, 'GET', `/v1/lanes?cuit=${CUIT}`, { key: auditor.key });
    expect(lanes.status, lanes.text).toBe(200);
    expect(lanes.json.find((lane: JsonBody) => lane.ptoVta === PTO)).toMatchObject({
      environment: 'sandbox',
      cuit: String(CUIT),
      cbteTipo: 6,
      state: 'diverged',
      divergence: { arcaLast: 0, gatewayLast: 3 },
    });
    expect((await call(url, 'GET', '/v1/lanes', { key: pos.key })).status).toBe(403);
    const entries = await world.db.query(
      "SELECT payload FROM audit_entry WHERE kind = 'lane.diverged' AND subject = $1",
      [`lane/sandbox/${LANE}`],
    );
    expect(entries.rows.map((row) => row.payload)).toEqual([
      { environment: 'sandbox', ptoVta: PTO, cbteTipo: 6, arcaLast: 0, gatewayLast: 3 },
    ]);
    const metrics = await call(url, 'GET', '/metrics', { key: null });
    expect(metrics.text).toMatch(/^arca_lanes_diverged 1$/m);

    // Only an admin resyncs; the gateway's three vouchers are kept as superseded.
    expect((await call(url, 'POST', `/v1/lanes/${LANE}/resync`, { key: auditor.key })).status).toBe(403);
    const resynced = await call(url, 'POST', `/v1/lanes/${LANE}/resync`);
    expect(resynced.status, resynced.text).toBe(200);
    expect(resynced.json).toMatchObject({
      arcaLast: 0,
      gatewayLast: 3,
      superseded: 3,
      lane: { state: 'synced', lastNumber: 0 },
    });
    const resyncEntry = await world.db.query(
      "SELECT actor, payload FROM audit_entry WHERE kind = 'lane.resynced' AND subject = $1",
      [`lane/sandbox/${LANE}`],
    );
    expect(resyncEntry.rows[0].payload).toMatchObject({ arcaLast: 0, gatewayLast: 3, superseded: 3 });

    const after = await postInvoice(url, facturaB({}, PTO));
    expect(after.status, after.text).toBe(201);
    expect(after.json.invoices[0].cbteDesde).toBe(1);
    // The first request's key now runs again and gets its voucher: a final answer, one voucher.
    const settled = await postInvoice(url, facturaB({}, PTO), { 'idempotency-key': 'after-reset' });
    expect(settled.status, settled.text).toBe(201);
    expect(settled.json.invoices[0].cbteDesde).toBe(2);
    const replay = await postInvoice(url, facturaB({}, PTO), { 'idempotency-key': 'after-reset' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.invoices[0].cae).toBe(settled.json.invoices[0].cae);

    // Every CAE ARCA holds is in the auditor's listing; the superseded ones are there too, marked.
    const listed = await call(url, 'GET', `/v1/audit/invoices?cuit=${CUIT}&ptoVta=${PTO}&limit=100`, {
      key: auditor.key,
    });
    const items = listed.json.items as JsonBody[];
    const atArca = world.sandbox.store.all().filter((voucher) => voucher.ptoVta === PTO);
    expect(atArca).toHaveLength(2);
    for (const voucher of atArca) {
      expect(
        items.find((item) => item.cae === voucher.codAutorizacion && item.superseded === null),
      ).toBeDefined();
    }
    const superseded = items.filter((item) => item.superseded !== null);
    expect(superseded.map((item) => item.cae).sort()).toEqual(
      before.map((answer) => answer.invoices[0].cae).sort(),
    );
    expect(superseded[0].superseded.reason).toMatch(/^resync by API key/);
  });

  it('keeps two environments on one database apart: own numbering, own listing, environment in the CSV', async () => {
    const { url } = await world.gateway();
    const homologationCerts = join(world.dataDir, 'homologation-certs');
    mkdirSync(homologationCerts, { recursive: true });
    const ca = await DevCa.loadOrCreate(join(world.dataDir, 'sandbox'));
    await ca.writeCuitCertificate(homologationCerts, { cuit: String(CUIT) });
    const homologation = await world.gateway(
      {},
      {
        AFIP_ENV: 'homologation',
        AFIP_CERTS_DIR: homologationCerts,
        TICKET_ENCRYPTION_KEY: 'cd'.repeat(32),
        METRICS_TOKEN: 'a-token-for-this-test',
      },
    );
    const lane = 12;
    const sandboxSale = await postInvoice(url, facturaB({}, lane));
    expect(sandboxSale.status, sandboxSale.text).toBe(201);
    // The same lane in homologation: the gateway has no record there, so ARCA's numbering is all it follows.
    const homologationSale = await postInvoice(homologation.url, facturaB({}, lane));
    expect(homologationSale.status, homologationSale.text).toBe(201);
    expect(homologationSale.json.invoices[0].cbteDesde).toBe(sandboxSale.json.invoices[0].cbteDesde + 1);

    const own = await call(url, 'GET', `/v1/audit/invoices?ptoVta=${lane}`);
    expect(own.json.items.map((item: JsonBody) => item.environment)).toEqual(['sandbox']);
    const other = await call(url, 'GET', `/v1/audit/invoices?ptoVta=${lane}&environment=homologation`);
    expect(other.json.items.map((item: JsonBody) => [item.environment, item.cae])).toEqual([
      ['homologation', homologationSale.json.invoices[0].cae],
    ]);
    const fromHomologation = await call(homologation.url, 'GET', `/v1/audit/invoices?ptoVta=${lane}`);
    expect(fromHomologation.json.items.map((item: JsonBody) => item.environment)).toEqual(['homologation']);
    const csv = await call(url, 'GET', `/v1/audit/invoices?ptoVta=${lane}&environment=homologation`, {
      headers: { accept: 'text/csv' },
    });
    const [header, row] = csv.text.trim().split('\r\n');
    expect(header!.split(',')[1]).toBe('environment');
    expect(row!.split(',')[1]).toBe('homologation');
    const lanes = await call(url, 'GET', `/v1/lanes?environment=homologation`);
    expect(lanes.json.map((item: JsonBody) => [item.environment, item.ptoVta])).toEqual([
      ['homologation', lane],
    ]);
  });
});
