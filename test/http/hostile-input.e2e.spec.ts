import { describe, expect, it } from 'vitest';
import { billingWorld, call } from '../billing/billing-harness.js';

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
});
