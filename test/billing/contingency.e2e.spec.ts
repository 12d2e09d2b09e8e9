import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeQrUrl } from '#libs/afip-wsfe';
import { ContingencyJobs } from '../../apps/api/src/contingency/contingency.jobs.js';
import {
  ADMIN_KEY,
  billingWorld,
  call,
  CUIT,
  createKey,
  facturaB,
  type JsonBody,
  postInvoice,
} from './billing-harness.js';

// Tests run on the real date, which may be the first day of a fortnight: ARCA takes reports from the next day.
const world = billingWorld({ caeaReportsOnFirstDay: true });
const CONTINGENCY_PTO_VTA = 900;

const arcaDown = () =>
  world.sandbox.faults.add({ id: 'down', service: 'wsfe', kind: 'http503', probability: 1 });

describe('CAEA contingency: ARCA down, sales go on', () => {
  it('issues under the CAEA at once, replays it, reports it when ARCA answers, and opts out on request', async () => {
    const { app, url } = await world.gateway(
      { breakerThreshold: 2, retryAttempts: 1, breakerHalfOpenMs: 300 },
      { CAEA_REPORT_INTERVAL_MS: '3600000', CAEA_CHECK_INTERVAL_MS: '3600000' },
    );
    const before = await postInvoice(url, facturaB());
    expect(before.status, before.text).toBe(201);
    expect(before.json.invoices[0]).toMatchObject({ emisionTipo: 'CAE' });

    // Without a CAEA point of sale nothing is requested: ARCA would refuse (15003).
    await app.get(ContingencyJobs).keep();
    expect((await call(url, 'GET', '/v1/contingency')).json.cuits[0].caeas).toEqual([]);
    world.sandbox.store.registerPoint({ cuit: CUIT, ptoVta: CONTINGENCY_PTO_VTA, emisionTipo: 'CAEA' });
    await app.get(ContingencyJobs).keep();
    const overview = (await call(url, 'GET', '/v1/contingency')).json;
    const current = overview.cuits[0].caeas.find((caea: JsonBody) => caea.current);
    expect(current?.caea, JSON.stringify(overview)).toMatch(/^\d{14}$/);
    expect(overview.cuits[0].pointsOfSale.pairs).toContainEqual({
      ptoVta: 1,
      contingencyPtoVta: CONTINGENCY_PTO_VTA,
    });

    // A CAEA ARCA already granted (lost here, say a restored database) is asked for with FECAEAConsultar.
    await world.db.query('DELETE FROM caea');
    const consulted = world.calls('FECAEAConsultar');
    await app.get(ContingencyJobs).keep();
    expect(world.calls('FECAEAConsultar')).toBeGreaterThan(consulted);
    const again = (await call(url, 'GET', '/v1/contingency')).json.cuits[0].caeas;
    expect(again.find((caea: JsonBody) => caea.current)?.caea).toBe(current.caea);

    arcaDown();
    const during = await postInvoice(url, facturaB(), { 'Idempotency-Key': 'contingency-sale-1' });
    expect(during.status, during.text).toBe(201);
    const voucher = during.json.invoices[0];
    expect(during.json).toMatchObject({ status: 'authorized', ptoVta: CONTINGENCY_PTO_VTA });
    expect(voucher).toMatchObject({
      emisionTipo: 'CAEA',
      caea: current.caea,
      ptoVta: CONTINGENCY_PTO_VTA,
      cbteDesde: 1,
      fchTopeInf: current.fchTopeInf,
    });
    expect(voucher.cbteFchHsGen).toMatch(/^\d{14}$/);
    expect(decodeQrUrl(voucher.qr.url)).toMatchObject({
      tipoCodAut: 'A',
      codAut: Number(current.caea),
      ptoVta: 900,
    });
    const replay = await postInvoice(url, facturaB(), { 'Idempotency-Key': 'contingency-sale-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json.invoices[0]).toEqual(voucher);
    const optedOut = await postInvoice(url, facturaB(), { 'Allow-Contingency': 'false' });
    expect(optedOut.status, optedOut.text).toBe(503);
    const second = await postInvoice(url, facturaB());
    expect(second.json.invoices?.[0], second.text).toMatchObject({ emisionTipo: 'CAEA', cbteDesde: 2 });
    // Nothing reaches ARCA before it answers again.
    expect(world.sandbox.store.lastNumber(CUIT, CONTINGENCY_PTO_VTA, 6)).toBe(0);

    world.sandbox.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 400)); // the circuit lets a call probe ARCA again
    const reported = await call(url, 'POST', '/v1/contingency/report');
    expect(reported.json, reported.text).toMatchObject({ reported: 2, rejected: 0, pending: 0 });
    const held = world.sandbox.store.all().filter((item) => item.ptoVta === CONTINGENCY_PTO_VTA);
    expect(held.map((item) => [item.cbteDesde, item.emisionTipo, item.codAutorizacion])).toEqual([
      [1, 'CAEA', current.caea],
      [2, 'CAEA', current.caea],
    ]);
    expect(held[0]!.detail.CbteFchHsGen).toBe(voucher.cbteFchHsGen);
    const after = (await call(url, 'GET', '/v1/contingency')).json.cuits[0];
    expect(after.vouchers).toEqual([
      {
        cuit: CUIT,
        ptoVta: CONTINGENCY_PTO_VTA,
        cbteTipo: 6,
        caea: current.caea,
        state: 'REPORTED',
        count: 2,
      },
    ]);
    // A pass with nothing left to report sends nothing.
    const calls = world.calls('FECAEARegInformativo');
    expect((await call(url, 'POST', '/v1/contingency/report')).json).toMatchObject({ reported: 0 });
    expect(world.calls('FECAEARegInformativo')).toBe(calls);
    const lanes = (await call(url, 'GET', `/v1/lanes?cuit=${CUIT}`)).json as JsonBody[];
    expect(lanes.find((lane) => lane.ptoVta === 1)).toMatchObject({
      emisionTipo: 'CAE',
      contingencyPtoVta: 900,
    });
    expect(lanes.find((lane) => lane.ptoVta === 900)).toMatchObject({ emisionTipo: 'CAEA', lastNumber: 2 });
    // The printed voucher says CAEA, with the CAEA and its validity (poppler reads it).
    const pdf = await fetch(`${url}/v1/invoices/${CUIT}/${CONTINGENCY_PTO_VTA}/6/1/pdf`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(pdf.status).toBe(200);
    const file = join(world.dataDir, 'caea.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain('CAEA N°');
    expect(text).toContain(current.caea);
    // The next sale is a CAE one again.
    const back = await postInvoice(url, facturaB());
    expect(back.json.invoices?.[0], back.text).toMatchObject({ emisionTipo: 'CAE' });
  });

  it('lets an auditor read only its own CUITs and keeps reporting for admins', async () => {
    const { url } = await world.gateway();
    const auditor = await createKey(url, { role: 'auditor', cuits: [30712345671] });
    const own = await call(url, 'GET', '/v1/contingency', { key: auditor.key });
    expect(own.status).toBe(200);
    expect(own.json.cuits).toEqual([]);
    const other = await call(url, 'GET', `/v1/contingency?cuit=${CUIT}`, { key: auditor.key });
    expect(other.status).toBe(403);
    expect((await call(url, 'POST', '/v1/contingency/report', { key: auditor.key })).status).toBe(403);
    const invalid = await call(url, 'GET', '/v1/contingency?cuit=12');
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('cuit');
  });
});
