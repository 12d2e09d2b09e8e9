import { describe, expect, it } from 'vitest';
import { billingWorld, call, CUIT, facturaB, postInvoice } from '../billing/billing-harness.js';

const forged = (fields: unknown[]) => Buffer.from(JSON.stringify(fields)).toString('base64url');
const ID = '0b7e4a53-7f0e-4a0c-9a55-1f3a3c1e2b4d';

describe('hostile input: refused with a 4xx, never a 500, never a stalled process', () => {
  const world = billingWorld();

  it('refuses audit cursors whose numbers exceed their columns (int8, int4) with 400, not 500', async () => {
    const { url } = await world.gateway();
    const cursors = [
      forged(['9999999999999999999', 1, 6, '20261123', '12', ID]),
      forged(['20123456789', 1, 6, '20261123', '9223372036854775808', ID]),
      forged(['20123456789', 2_147_483_648, 6, '20261123', '12', ID]),
    ];
    for (const cursor of cursors) {
      const answer = await call(
        url,
        'GET',
        `/v1/audit/invoices?cuit=20123456789&cbteFchFrom=20261101&cursor=${cursor}`,
      );
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
    const fine = await call(
      url,
      'GET',
      `/v1/audit/invoices?cursor=${forged(['9223372036854775807', 1, 6, '20261123', '12', ID])}`,
    );
    expect(fine.status, fine.text).toBe(200);
  });

  it('answers a 1 MB SOAP document of 148,000 nested elements with 400 before building a tree', async () => {
    const deep = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${'<a>'.repeat(148_000)}${'</a>'.repeat(148_000)}</soap:Body></soap:Envelope>`;
    expect(deep.length).toBeGreaterThan(1_000_000);
    const answer = await fetch(world.sandbox.wsfeUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '"http://ar.gov.afip.dif.FEV1/FEDummy"' },
      body: deep.slice(0, 1_040_000),
    });
    expect(answer.status).toBe(400);
    expect(world.sandboxLog.at(-1)).toMatch(
      /malformed XML \(the document nests elements deeper than 32 levels\)/,
    );
  });

  it('refuses oversize invoice bodies by counting, naming the field, before validation or the database', async () => {
    const { url } = await world.gateway();
    const detail = facturaB({}, 61).FeCAEReq.FeDetReq.FECAEDetRequest;
    const body = (count: number, cbteTipo = 6, overrides: Record<string, unknown> = {}) => ({
      Auth: { Cuit: CUIT },
      FeCAEReq: {
        FeCabReq: { CantReg: count, PtoVta: 61, CbteTipo: cbteTipo },
        FeDetReq: { FECAEDetRequest: Array.from({ length: count }, () => ({ ...detail, ...overrides })) },
      },
    });
    const journal = async () =>
      (await world.db.query('SELECT count(*)::int AS n FROM invoice_request WHERE pto_vta = 61')).rows[0].n;
    const tooMany = await postInvoice(url, body(1000));
    expect(tooMany.status, tooMany.text).toBe(400);
    expect(tooMany.json.details).toEqual([
      expect.objectContaining({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest', rule: '10003' }),
    ]);
    expect(tooMany.json.message).toContain('at most 250');
    const fce = await postInvoice(url, body(2, 201));
    expect(fce.status, fce.text).toBe(400);
    expect(fce.json.message).toContain('at most 1');
    const longList = await postInvoice(
      url,
      body(1, 6, {
        Iva: { AlicIva: Array.from({ length: 101 }, () => ({ Id: 5, BaseImp: 10, Importe: 2.1 })) },
      }),
    );
    expect(longList.status, longList.text).toBe(400);
    expect(longList.json.details).toEqual([
      expect.objectContaining({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.Iva.AlicIva', rule: 'maxItems' }),
    ]);
    expect(await journal()).toBe(0);
  });

  it('refuses a body with more details than FECompTotXRequest from its bytes, before parsing it or reading its key', async () => {
    const { url } = await world.gateway();
    const detail = facturaB({}, 62).FeCAEReq.FeDetReq.FECAEDetRequest;
    const bodyOf = (count: number) =>
      JSON.stringify({
        Auth: { Cuit: CUIT },
        FeCAEReq: {
          FeCabReq: { CantReg: count, PtoVta: 62, CbteTipo: 6 },
          FeDetReq: { FECAEDetRequest: Array.from({ length: count }, () => detail) },
        },
      });
    const text = bodyOf(300);
    // The same key spelled with an escape: the parser reads FECAEDetRequest, the byte scan cannot be sure.
    const escaped = text.replace('"FECAEDetRequest"', '"FECAEDetReq\\u0075est"');
    expect(JSON.parse(escaped)).toEqual(JSON.parse(text));
    // Until FECompTotXRequest is known, such a body is parsed, so a request without a key meets the guard first.
    expect((await call(url, 'POST', '/v1/invoices', { key: null, body: text })).status).toBe(401);
    const counted = await call(url, 'POST', '/v1/invoices', { body: text });
    expect(counted.status, counted.text).toBe(400);
    expect(counted.json.details).toEqual([
      expect.objectContaining({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest', rule: '10003' }),
    ]);
    // Known now: the bytes are counted and the body refused before the parser and the guard, in the same words.
    const scanned = await call(url, 'POST', '/v1/invoices', { key: null, body: text });
    expect(scanned.status, scanned.text).toBe(400);
    expect({ ...scanned.json, requestId: undefined }).toEqual({ ...counted.json, requestId: undefined });
    // Where the scan is not certain, the body goes on to the parser, the guard and the count after parsing.
    expect((await call(url, 'POST', '/v1/invoices', { key: null, body: escaped })).status).toBe(401);
    const parsed = await call(url, 'POST', '/v1/invoices', { body: escaped });
    expect(parsed.status, parsed.text).toBe(400);
    expect(parsed.json.details).toEqual(counted.json.details);
    // Within the limit the scan refuses nothing: 250 details go on to the guard.
    const within = await call(url, 'POST', '/v1/invoices', { key: null, body: bodyOf(250) });
    expect(within.status, within.text).toBe(401);
  });
});
