import { describe, expect, it } from 'vitest';
import { decodeQrUrl, yyyymmdd } from '#libs/afip-wsfe';
import { billingWorld, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('POST /v1/invoices (gateway + sandbox + Postgres over HTTP)', () => {
  const world = billingWorld();

  it('numbers, dates and authorizes the example, answering a CAE and an RG 4892 QR', async () => {
    const { url } = await world.gateway();
    const { status, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.status).toBe('authorized');
    const [invoice] = json.invoices;
    expect(invoice.cae).toMatch(/^\d{14}$/);
    expect(invoice.cbteDesde).toBe(world.sandbox.store.lastNumber(CUIT, 1, 6));
    expect(invoice.cbteFch).toBe(yyyymmdd(new Date()));
    expect(decodeQrUrl(invoice.qr.url)).toEqual({
      ver: 1,
      fecha: `${invoice.cbteFch.slice(0, 4)}-${invoice.cbteFch.slice(4, 6)}-${invoice.cbteFch.slice(6)}`,
      cuit: CUIT,
      ptoVta: 1,
      tipoCmp: 6,
      nroCmp: invoice.cbteDesde,
      importe: 1210,
      moneda: 'PES',
      ctz: 1,
      tipoDocRec: 96,
      nroDocRec: 12345678,
      tipoCodAut: 'E',
      codAut: Number(invoice.cae),
    });
    expect(json.afip.FeCabResp.Resultado).toBe('A');
    expect(json.requestId).toEqual(expect.any(String));
  });
});
