import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qrPng } from '#libs/invoice-print';
import { ReconcileJob } from '../../apps/api/src/billing/reconciliation/reconcile.job.js';
import {
  ADMIN_KEY,
  billingWorld,
  call,
  createKey,
  CUIT,
  type JsonBody,
  postInvoice,
} from './billing-harness.js';

// Printed invoices, checked by independent tools: poppler's pdftotext reads the text, pdftoppm renders the page
// and zbar's zbarimg decodes the QR from the picture.

/** zbarimg writes D-Bus noise to stderr on this machine: kept out of the test output. */
const QUIET: { stdio: ['ignore', 'pipe', 'pipe'] } = { stdio: ['ignore', 'pipe', 'pipe'] };
/** The issuer's logo is any PNG: a QR of the shop's site, which also proves the logo is drawn. */
const LOGO_TEXT = 'https://kiosco.example';
const RECEIVER = 30712345671; // DISTRIBUIDORA DEL CENTRO S.A. in the sandbox's registry

/** A Factura A with three lines at two IVA rates: 2 × 500 + 1 × 1000 at 21 %, 2.5 kg × 480 − 100 at 10.5 %. */
function facturaA(items?: unknown) {
  return {
    Auth: { Cuit: CUIT },
    FeCAEReq: {
      FeCabReq: { CantReg: 1, PtoVta: 21, CbteTipo: 1 },
      FeDetReq: {
        FECAEDetRequest: {
          Concepto: 1,
          DocTipo: 80,
          DocNro: RECEIVER,
          ImpTotal: 3635.5,
          ImpTotConc: 0,
          ImpNeto: 3100,
          ImpOpEx: 0,
          ImpTrib: 0,
          ImpIVA: 535.5,
          MonId: 'PES',
          MonCotiz: 1,
          Iva: {
            AlicIva: [
              { Id: 5, BaseImp: 2000, Importe: 420 },
              { Id: 4, BaseImp: 1100, Importe: 115.5 },
            ],
          },
          Items: items ?? [
            { Description: 'Café 500 g', Quantity: 2, UnitPrice: 500, AlicIvaId: 5 },
            { Description: 'Molinillo manual', Quantity: 1, UnitPrice: 1000, AlicIvaId: 5, Unit: 'unidad' },
            {
              Description: 'Pan de campo',
              Quantity: 2.5,
              UnitPrice: 480,
              AlicIvaId: 4,
              Discount: 100,
              Unit: 'kg',
            },
          ],
        },
      },
    },
  };
}

/** A Factura B to a final consumer, with no lines: 1,210 of which 210 IVA. */
function facturaB(ptoVta = 22) {
  return {
    Auth: { Cuit: CUIT },
    FeCAEReq: {
      FeCabReq: { CantReg: 1, PtoVta: ptoVta, CbteTipo: 6 },
      FeDetReq: {
        FECAEDetRequest: {
          Concepto: 1,
          DocTipo: 99,
          DocNro: 0,
          ImpTotal: 1210,
          ImpTotConc: 0,
          ImpNeto: 1000,
          ImpOpEx: 0,
          ImpTrib: 0,
          ImpIVA: 210,
          MonId: 'PES',
          MonCotiz: 1,
          Iva: { AlicIva: { Id: 5, BaseImp: 1000, Importe: 210 } },
        },
      },
    },
  };
}

async function fetchBytes(url: string, path: string, key: string) {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe('printed invoices', () => {
  const world = billingWorld();
  const dir = join(world.dataDir, 'print');
  mkdirSync(dir, { recursive: true });
  let started: ReturnType<typeof world.gateway> | undefined;
  const gateway = () => {
    if (!started) {
      const certs = join(world.dataDir, 'certs');
      mkdirSync(certs, { recursive: true });
      started = (async () => {
        writeFileSync(join(certs, `${CUIT}.logo.png`), await qrPng(LOGO_TEXT, 2));
        writeFileSync(
          join(certs, `${CUIT}.issuer.json`),
          JSON.stringify({
            grossIncome: '901-123456-7',
            activityStart: '2020-03-01',
            logo: `${CUIT}.logo.png`,
          }),
        );
        return world.gateway();
      })();
    }
    return started;
  };
  const pdfText = (pdf: Buffer, name: string): string => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    // Layout mode keeps columns apart; runs of spaces and line breaks (a wrapped line on the ticket) become one.
    return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8').replace(/\s+/g, ' ');
  };
  /** Every QR on the first page, decoded: the voucher's, and the logo's (a QR too, see above). */
  const qrsOf = (pdf: Buffer, name: string): string[] => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', [
      '-r',
      '150',
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      join(dir, name),
    ]);
    const decoded = execFileSync('zbarimg', ['-q', '--raw', join(dir, `${name}.png`)], QUIET).toString(
      'utf8',
    );
    return decoded.trim().split('\n').sort();
  };

  it('prints a Factura A with three lines at two rates: parties, lines, IVA by rate, CAE and a QR that decodes to its URL', async () => {
    const { url } = await gateway();
    const pos = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [21, 22] });
    const issued = await postInvoice(url, facturaA());
    expect(issued.status, issued.text).toBe(201);
    const invoice = issued.json.invoices[0] as JsonBody;
    const path = `/v1/invoices/${CUIT}/21/1/${invoice.cbteDesde}`;
    const number = `00021-${String(invoice.cbteDesde).padStart(8, '0')}`;
    const due = `${invoice.caeFchVto.slice(6, 8)}/${invoice.caeFchVto.slice(4, 6)}/${invoice.caeFchVto.slice(0, 4)}`;

    for (const format of ['a4', 'ticket'] as const) {
      const pdf = await fetchBytes(url, `${path}/pdf?format=${format}`, pos.key);
      expect(pdf.status, pdf.bytes.toString()).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      const text = pdfText(pdf.bytes, `a-${format}`);
      for (const expected of [
        number,
        invoice.cae,
        due,
        'FACTURA',
        'PEREZ JUAN CARLOS',
        '20-12345678-9',
        '901-123456-7',
        '01/03/2020',
        'DISTRIBUIDORA DEL CENTRO S.A.',
        '30-71234567-1',
        'IVA Responsable Inscripto',
        'Café 500 g',
        'Molinillo manual',
        'Pan de campo',
        '1.100,00', // 2.5 × 480 − 100, net of IVA
        '3.100,00', // Importe Neto Gravado
        '420,00', // IVA 21 %
        '115,50', // IVA 10,5 %
        '3.635,50', // Importe Total
      ])
        expect(text, `${format} lacks ${expected}`).toContain(expected);
      expect(text).not.toContain('A CONSUMIDOR FINAL');
      expect(qrsOf(pdf.bytes, `a-${format}`)).toEqual([LOGO_TEXT, invoice.qr.url].sort());
    }

    // The QR alone.
    const png = await fetchBytes(url, `${path}/qr.png`, pos.key);
    expect(png.type).toBe('image/png');
    writeFileSync(join(dir, 'qr.png'), png.bytes);
    expect(
      execFileSync('zbarimg', ['-q', '--raw', join(dir, 'qr.png')], QUIET)
        .toString('utf8')
        .trim(),
    ).toBe(invoice.qr.url);
    const svg = await fetchBytes(url, `${path}/qr.svg`, pos.key);
    expect(svg.type).toMatch(/^image\/svg\+xml/);
    expect(svg.bytes.toString()).toMatch(/^<svg[^>]*viewBox/);

    // The auditor gets the same document from the audit API; a key of another CUIT gets nothing.
    const auditor = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const audited = await fetchBytes(
      url,
      `/v1/audit/invoices/${CUIT}/21/1/${invoice.cbteDesde}/pdf`,
      auditor.key,
    );
    expect(audited.status).toBe(200);
    expect(pdfText(audited.bytes, 'audited')).toContain(invoice.cae);
    const stranger = await createKey(url, { role: 'pos', cuits: [20111111112], ptoVtas: [21] });
    expect((await fetchBytes(url, `${path}/pdf`, stranger.key)).status).toBe(403);
    const otherPoint = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [22] });
    expect((await fetchBytes(url, `${path}/pdf`, otherPoint.key)).status).toBe(403);
  });

  it('prints a Factura B to a final consumer with its legend and the RG 5614 transparency block', async () => {
    const { url } = await gateway();
    const issued = await postInvoice(url, facturaB());
    expect(issued.status, issued.text).toBe(201);
    const invoice = issued.json.invoices[0] as JsonBody;
    for (const format of ['a4', 'ticket'] as const) {
      const pdf = await fetchBytes(
        url,
        `/v1/invoices/${CUIT}/22/6/${invoice.cbteDesde}/pdf?format=${format}`,
        ADMIN_KEY,
      );
      expect(pdf.status, pdf.bytes.toString()).toBe(200);
      const text = pdfText(pdf.bytes, `b-${format}`);
      for (const expected of [
        `00022-${String(invoice.cbteDesde).padStart(8, '0')}`,
        invoice.cae,
        'A CONSUMIDOR FINAL',
        'Consumidor Final',
        'Régimen de Transparencia Fiscal al Consumidor (Ley 27.743)',
        'IVA Contenido',
        '210,00',
        '1.210,00',
        'PEREZ JUAN CARLOS',
      ])
        expect(text, `${format} lacks ${expected}`).toContain(expected);
      // B does not discriminate IVA: no per-rate lines.
      expect(text).not.toMatch(/IVA 21 %/);
      expect(qrsOf(pdf.bytes, `b-${format}`)).toEqual([LOGO_TEXT, invoice.qr.url].sort());
    }
  });

  it('refuses lines that disagree with the totals, naming the field and rule, and sends nothing', async () => {
    const { url } = await gateway();
    const sent = world.calls('FECAESolicitar');
    const wrong = await postInvoice(
      url,
      facturaA([
        { Description: 'Café 500 g', Quantity: 2, UnitPrice: 500, AlicIvaId: 5 },
        { Description: 'Pan de campo', Quantity: 2.5, UnitPrice: 480, AlicIvaId: 4 },
      ]),
    );
    expect(wrong.status, wrong.text).toBe(400);
    const field = 'FeCAEReq.FeDetReq.FECAEDetRequest.0.Items';
    expect(wrong.json.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field,
          rule: 'items.net',
          message: expect.stringContaining('AlicIvaId 5'),
        }),
        expect.objectContaining({
          field,
          rule: 'items.net',
          message: expect.stringContaining('AlicIvaId 4'),
        }),
      ]),
    );
    const badLine = await postInvoice(
      url,
      facturaA([{ Description: '', Quantity: -1, UnitPrice: 5, AlicIvaId: 7 }]),
    );
    expect(badLine.status).toBe(400);
    const fields = (badLine.json.details as JsonBody[]).map((detail) => detail.field);
    expect(fields).toEqual(
      expect.arrayContaining([`${field}.0.Description`, `${field}.0.Quantity`, `${field}.0.AlicIvaId`]),
    );
    // More lines than a voucher takes: refused by counting, before validation builds 501 objects.
    const many = Array.from({ length: 501 }, () => ({
      Description: 'x',
      Quantity: 1,
      UnitPrice: 1,
      AlicIvaId: 5,
    }));
    const tooMany = await postInvoice(url, facturaA(many));
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.details).toEqual([expect.objectContaining({ field, rule: 'maxItems' })]);
    expect(world.calls('FECAESolicitar')).toBe(sent);
  });

  it('has no PDF for a rejected, unknown or unsettled voucher, and prints it once settled', async () => {
    await gateway();
    // No retries: the lost answer stays in doubt until the reconciler's pass.
    const { app, url } = await world.gateway({ retryAttempts: 0, breakerThreshold: 100 });
    const key = ADMIN_KEY;
    expect((await call(url, 'GET', `/v1/invoices/${CUIT}/23/6/99/pdf`)).status).toBe(404);
    expect((await call(url, 'GET', `/v1/invoices/${CUIT}/23/6/1/pdf?format=letter`)).json.details).toEqual([
      expect.objectContaining({ field: 'format' }),
    ]);

    // Rejected by ARCA (a receiver ARCA does not know: Obs 10015): its number has no printed form.
    const refused = facturaB(24);
    Object.assign(refused.FeCAEReq.FeDetReq.FECAEDetRequest, {
      DocTipo: 80,
      DocNro: 30600000000,
      CondicionIVAReceptorId: 5,
    });
    const rejected = await postInvoice(url, refused);
    expect(rejected.status, rejected.text).toBe(422);
    const rejectedPdf = await call(
      url,
      'GET',
      `/v1/invoices/${CUIT}/24/6/${rejected.json.invoices[0].cbteDesde}/pdf`,
    );
    expect(rejectedPdf.status).toBe(404);
    expect(rejectedPdf.json.message).toMatch(/ARCA rejected .*10015/);

    world.fault('FECAESolicitar', 'authorize-then-drop');
    world.fault('FECompConsultar', 'http503');
    const lost = await postInvoice(url, facturaB(23), { 'idempotency-key': 'print-doubt' });
    expect(lost.status).toBe(504);
    const sentRow = await world.db.query(
      "SELECT (sent_request->0->>'CbteDesde')::int AS nro FROM invoice_request WHERE idempotency_key = 'print-doubt'",
    );
    const nro = sentRow.rows[0].nro as number;
    const doubt = await fetchBytes(url, `/v1/invoices/${CUIT}/23/6/${nro}/pdf`, key);
    expect(doubt.status, doubt.bytes.toString()).toBe(409);
    expect(JSON.parse(doubt.bytes.toString()).message).toMatch(/outcome is not known yet/);
    await app.get(ReconcileJob).sweep();
    const settled = await fetchBytes(url, `/v1/invoices/${CUIT}/23/6/${nro}/pdf`, key);
    expect(settled.status).toBe(200);
  });
});
