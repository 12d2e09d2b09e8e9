import { describe, expect, it } from 'vitest';
import { decodeQrUrl, yyyymmdd } from '#libs/afip-wsfe';
import { ADMIN_KEY, billingWorld, CUIT, facturaB, type JsonBody, postInvoice } from './billing-harness.js';

describe('POST /v1/invoices (gateway + sandbox + Postgres over HTTP)', () => {
  const world = billingWorld();

  it('numbers, dates and authorizes the example, answering a CAE and an RG 4892 QR', async () => {
    const { url } = await world.gateway();
    const { status, headers, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.status).toBe('authorized');
    expect(headers.get('server-timing')).toMatch(
      /^lane;dur=[\d.]+;desc="[^"]+", arca;dur=[\d.]+;desc="[^"]+"$/,
    );
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

describe('numbering, rejections and lookups', () => {
  const world = billingWorld();
  const authorized = () => world.sandbox.store.lastNumber(CUIT, 1, 6);

  it('takes the POS number when it is the next one, and refuses a stale one with 409 before ARCA sees it', async () => {
    const { url } = await world.gateway();
    const next = authorized() + 1;
    const numbered = await postInvoice(url, facturaB({ CbteDesde: next, CbteHasta: next }));
    expect(numbered.status, JSON.stringify(numbered.json)).toBe(201);
    expect(numbered.json.invoices[0].cbteDesde).toBe(next);

    const sent = world.calls('FECAESolicitar');
    const stale = await postInvoice(url, facturaB({ CbteDesde: next, CbteHasta: next }));
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('CONFLICT');
    expect(stale.json.message).toContain(`the next number ARCA will accept is ${next + 1}`);
    expect(stale.json.details).toMatchObject({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteDesde' });
    expect(world.calls('FECAESolicitar')).toBe(sent);
  });

  it('catches up when another system issued on the point of sale, instead of passing on a 10016', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB());
    const before = authorized();
    world.sandbox.store.seed(CUIT, 1, 6, before + 5);
    const { status, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.invoices[0].cbteDesde).toBe(before + 6);
    expect(json.errors).toEqual([]);
  });

  it("answers 422 with ARCA's code when ARCA rejects what only ARCA can judge (rate off the official one)", async () => {
    const { url } = await world.gateway();
    const { status, json } = await postInvoice(url, facturaB({ MonId: 'DOL', MonCotiz: 1 }));
    expect(status, JSON.stringify(json)).toBe(422);
    expect(json.status).toBe('rejected');
    expect(json.invoices[0].resultado).toBe('R');
    expect(json.invoices[0].observaciones.map((item: { code: number }) => item.code)).toContain(10119);
    expect(json.invoices[0].cae).toBeUndefined();
    const rows = await world.db.query(
      `SELECT resultado, cae FROM invoice WHERE cbte_nro = $1 AND pto_vta = 1 AND cbte_tipo = 6`,
      [json.invoices[0].cbteDesde],
    );
    expect(rows.rows).toEqual([{ resultado: 'R', cae: null }]);
  });

  it('stores every outcome and serves last-authorized and one voucher with both records', async () => {
    const { url } = await world.gateway();
    const { json } = await postInvoice(url, facturaB());
    const number = json.invoices[0].cbteDesde as number;
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    const last = await fetch(`${url}/v1/invoices/last-authorized?cuit=${CUIT}&ptoVta=1&cbteTipo=6`, {
      headers,
    });
    expect(await last.json()).toEqual({ cuit: CUIT, ptoVta: 1, cbteTipo: 6, cbteNro: number });

    const voucher = await fetch(`${url}/v1/invoices/${CUIT}/1/6/${number}`, { headers });
    const body = (await voucher.json()) as JsonBody;
    expect(body.afip.CodAutorizacion).toBe(json.invoices[0].cae);
    expect(body.gateway).toMatchObject({
      cbteNro: number,
      resultado: 'A',
      cae: json.invoices[0].cae,
      impTotal: '1210.00',
    });
    const journal = await world.db.query(
      `SELECT state, cbte_desde, sent_at <= completed_at AS sent_first FROM invoice_request WHERE id = (SELECT request_id FROM invoice WHERE cae = $1)`,
      [json.invoices[0].cae],
    );
    expect(journal.rows).toEqual([{ state: 'AUTHORIZED', cbte_desde: String(number), sent_first: true }]);

    const missing = await fetch(`${url}/v1/invoices/${CUIT}/1/6/99999999`, { headers });
    expect(missing.status).toBe(404);
  });

  it("recovers an authorization whose answer was lost, from ARCA's record of the number", async () => {
    const { url } = await world.gateway();
    world.fault('FECAESolicitar', 'authorize-then-drop');
    const { status, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.recoveredWith).toBe('FECompConsultar');
    expect(json.invoices[0].cbteDesde).toBe(authorized());
    expect(json.invoices[0].cae).toBe(world.sandbox.store.find(CUIT, 1, 6, authorized())?.codAutorizacion);
  });

  it('serves ARCA parameter tables from a cache', async () => {
    const { url } = await world.gateway();
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    const before = world.calls('FEParamGetTiposDoc');
    const first = await fetch(`${url}/v1/params/documentos?cuit=${CUIT}`, { headers });
    const second = await fetch(`${url}/v1/params/documentos?cuit=${CUIT}`, { headers });
    expect(first.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
    expect(world.calls('FEParamGetTiposDoc') - before).toBe(1);
    const unknown = await fetch(`${url}/v1/params/colores?cuit=${CUIT}`, { headers });
    expect(unknown.status).toBe(404);
    const rate = await fetch(`${url}/v1/params/cotizacion?cuit=${CUIT}&monId=DOL`, { headers });
    expect(await rate.json()).toMatchObject({ MonId: 'DOL', MonCotiz: expect.any(Number) });
  });
});

describe('Swagger', () => {
  const world = billingWorld();

  it("documents POST /v1/invoices with the issue's example as the first (default) body", async () => {
    const { url } = await world.gateway();
    const document = (await (await fetch(`${url}/docs-json`)).json()) as JsonBody;
    const post = document.paths['/v1/invoices'].post;
    const examples = Object.values(post.requestBody.content['application/json'].examples) as JsonBody[];
    expect(examples[0]!.value.FeCAEReq.FeDetReq.FECAEDetRequest).toMatchObject({
      CbteFch: '20250705',
      ImpTotal: 1210,
    });
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '409', '422', '502', '503', '504']),
    );
    const detail = document.components.schemas.InvoiceDetailDto;
    expect(detail.properties.CondicionIVAReceptorId.description).toContain('FEParamGetCondicionIvaReceptor');
  });
});
