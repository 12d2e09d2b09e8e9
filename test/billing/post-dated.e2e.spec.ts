import { describe, expect, it } from 'vitest';
import { addDays, yyyymmdd } from '#libs/afip-wsfe';
import {
  billingWorld,
  call,
  createKey,
  CUIT,
  facturaB,
  type JsonBody,
  postInvoice,
} from './billing-harness.js';

// Dates relative to today in Argentina, so the spec holds on any day: a service voucher dated 6 days ahead is
// inside services' window (N+10) and beyond any product's (N+5, within the month).
const today = () => yyyymmdd(new Date());

function service(overrides: Record<string, unknown>, ptoVta: number) {
  return facturaB(
    {
      Concepto: 2,
      FchServDesde: today(),
      FchServHasta: today(),
      FchVtoPago: addDays(today(), 20),
      ...overrides,
    },
    ptoVta,
  );
}

const ADVANCE = { 'allow-date-advance': 'true' };

describe('a post-dated voucher does not silently block its point of sale', () => {
  const world = billingWorld();
  let started: ReturnType<typeof world.gateway> | undefined;
  const gateway = () => (started ??= world.gateway());
  const vouchersOf = (ptoVta: number) =>
    world.sandbox.store.all().filter((voucher) => voucher.ptoVta === ptoVta && voucher.cuit === CUIT);

  it('refuses locally the product sale a post-dated service voucher would make ARCA refuse', async () => {
    const { url } = await gateway();
    const ahead = addDays(today(), 6);

    // Without the header the voucher that would move the lane's date is refused, nothing sent.
    const before = world.calls('FECAESolicitar');
    const unasked = await postInvoice(url, service({ CbteFch: ahead }, 2), {
      'idempotency-key': 'post-dated-1',
    });
    expect(unasked.status, unasked.text).toBe(409);
    expect(unasked.json).toMatchObject({
      code: 'DATE_ADVANCE_NOT_ALLOWED',
      details: { cbteFch: ahead, today: today(), field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteFch' },
    });
    expect(unasked.json.message).toContain('Allow-Date-Advance: true');
    expect(world.calls('FECAESolicitar')).toBe(before);

    // The same sale, retried with the same key and the header, runs again and is authorized.
    const asked = await postInvoice(url, service({ CbteFch: ahead }, 2), {
      'idempotency-key': 'post-dated-1',
      ...ADVANCE,
    });
    expect(asked.status, asked.text).toBe(201);
    expect(asked.json.invoices[0]).toMatchObject({ cbteDesde: 1, cbteFch: ahead, resultado: 'A' });

    // The ordinary product sale after it, undated: refused here, with both dates; ARCA never sees it.
    const sent = world.calls('FECAESolicitar');
    const product = await postInvoice(url, facturaB({}, 2));
    expect(product.status, product.text).toBe(409);
    expect(product.json).toMatchObject({
      code: 'LANE_DATE_BLOCKED',
      details: { lastCbteNro: 1, lastCbteFch: ahead, acceptsFrom: ahead },
    });
    expect(product.json.message).toContain(`number 1, is dated ${ahead}`);
    expect(product.json.message).toContain('another point of sale');
    // Dated today explicitly, the same.
    const dated = await postInvoice(url, facturaB({ CbteFch: today() }, 2), ADVANCE);
    expect(dated.status, dated.text).toBe(409);
    expect(dated.json.code).toBe('LANE_DATE_BLOCKED');
    expect(world.calls('FECAESolicitar')).toBe(sent);
    expect(vouchersOf(2).map((voucher) => voucher.cbteDesde)).toEqual([1]);

    // A service sale without CbteFch is dated on the lane's date and authorized, no header needed.
    const next = await postInvoice(url, service({}, 2));
    expect(next.status, next.text).toBe(201);
    expect(next.json.invoices[0]).toMatchObject({ cbteDesde: 2, cbteFch: ahead, resultado: 'A' });
    expect(vouchersOf(2).map((voucher) => voucher.cbteFch)).toEqual([ahead, ahead]);

    // Operators see how long the lane refuses earlier dates.
    const auditor = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const lanes = await call(url, 'GET', `/v1/lanes?cuit=${CUIT}`, { key: auditor.key });
    expect(lanes.status, lanes.text).toBe(200);
    expect(lanes.json.find((lane: JsonBody) => lane.ptoVta === 2)).toMatchObject({
      lastNumber: 2,
      lastCbteFch: ahead,
      datesBlockedUntil: ahead,
    });
  });

  it("learns a new lane's date from ARCA when another system post-dated its last voucher", async () => {
    const { url } = await gateway();
    const ahead = addDays(today(), 4);
    // Another system issued voucher 1 of point of sale 5 dated ahead: ARCA holds it, the gateway does not.
    world.sandbox.store.record({
      cuit: CUIT,
      ptoVta: 5,
      cbteTipo: 6,
      cbteDesde: 1,
      cbteHasta: 1,
      cbteFch: ahead,
      impTotal: 1210,
      codAutorizacion: '76000000000001',
      emisionTipo: 'CAE',
      fchVto: addDays(ahead, 10),
      fchProceso: `${today()}120000`,
      detail: { Concepto: 2, DocTipo: 96, DocNro: 12345678, CbteDesde: 1, CbteHasta: 1, CbteFch: ahead },
      observaciones: [],
    });
    const before = {
      solicitar: world.calls('FECAESolicitar'),
      consultar: world.calls('FECompConsultar'),
    };
    const product = await postInvoice(url, facturaB({ CbteFch: today() }, 5));
    expect(product.status, product.text).toBe(409);
    expect(product.json).toMatchObject({
      code: 'LANE_DATE_BLOCKED',
      details: { lastCbteNro: 1, lastCbteFch: ahead, acceptsFrom: ahead },
    });
    expect(world.calls('FECAESolicitar')).toBe(before.solicitar);
    expect(world.calls('FECompConsultar')).toBe(before.consultar + 1);
  });

  it('refuses a request whose own details go back in date, before anything is written', async () => {
    const { url } = await gateway();
    const body = facturaB({}, 6);
    const detail = body.FeCAEReq.FeDetReq.FECAEDetRequest;
    const two = {
      ...body,
      FeCAEReq: {
        FeCabReq: { ...body.FeCAEReq.FeCabReq, CantReg: 2 },
        FeDetReq: {
          FECAEDetRequest: [
            { ...detail, CbteFch: today() },
            { ...detail, CbteFch: addDays(today(), -1) },
          ],
        },
      },
    };
    const refused = await postInvoice(url, two);
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.details).toEqual([
      expect.objectContaining({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest.1.CbteFch', rule: '10016' }),
    ]);
  });

  it('reads Allow-Date-Advance as true or false, and refuses anything else naming the header', async () => {
    const { url } = await gateway();
    const refused = await postInvoice(url, facturaB({}, 7), { 'allow-date-advance': 'yes' });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.details).toEqual([
      { field: 'Allow-Date-Advance', rule: 'boolean', message: 'Allow-Date-Advance must be true or false' },
    ]);
    const plain = await postInvoice(url, facturaB({}, 7), { 'allow-date-advance': 'false' });
    expect(plain.status, plain.text).toBe(201);
  });
});
