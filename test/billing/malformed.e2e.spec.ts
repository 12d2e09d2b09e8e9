import { beforeAll, describe, expect, it } from 'vitest';
import { yyyymmdd } from '#libs/afip-wsfe';
import { billingWorld, CUIT, facturaB, type JsonBody, postInvoice } from './billing-harness.js';

const daysAgo = (days: number) => yyyymmdd(new Date(Date.now() - days * 86_400_000));
const aliquot = (Id: number, BaseImp: number, Importe: number) => ({ AlicIva: { Id, BaseImp, Importe } });

/** facturaB with its header changed. */
function header(changes: Record<string, unknown>, detail: Record<string, unknown> = {}) {
  const body = facturaB(detail);
  return { ...body, FeCAEReq: { ...body.FeCAEReq, FeCabReq: { ...body.FeCAEReq.FeCabReq, ...changes } } };
}

/** facturaB with its details replaced by `details`. */
function details(...list: Record<string, unknown>[]) {
  const body = header({ CantReg: list.length });
  const base = facturaB().FeCAEReq.FeDetReq.FECAEDetRequest;
  return {
    ...body,
    FeCAEReq: { ...body.FeCAEReq, FeDetReq: { FECAEDetRequest: list.map((item) => ({ ...base, ...item })) } },
  };
}

function without(path: string[]): Record<string, unknown> {
  const body = structuredClone(facturaB()) as JsonBody;
  let node = body;
  for (const key of path.slice(0, -1)) node = node[key];
  delete node[path.at(-1)!];
  return body;
}

const D = 'FeCAEReq.FeDetReq.FECAEDetRequest.0';

// [what, body, expected status, text the answer must contain (the field, and ARCA's code where it has one)]
const CASES: [string, unknown, number, string][] = [
  ['not JSON', '{"Auth": {"Cuit": 20123456789', 400, 'JSON'],
  ['a JSON array', '[]', 400, 'Auth'],
  ['an empty object', {}, 400, 'Auth is required'],
  ['no Auth', without(['Auth']), 400, 'Auth is required'],
  ['Cuit as a string', { ...facturaB(), Auth: { Cuit: String(CUIT) } }, 400, 'Auth.Cuit'],
  ['Cuit too short', { ...facturaB(), Auth: { Cuit: 123 } }, 400, 'Auth.Cuit'],
  ['an unknown top-level field', { ...facturaB(), Token: 'x' }, 400, 'Token is not a known field'],
  [
    'an unknown field in Auth',
    { ...facturaB(), Auth: { Cuit: CUIT, Sign: 'x' } },
    400,
    'Auth.Sign is not a known field',
  ],
  ['an unknown detail field', facturaB({ Foo: 1 }), 400, `${D}.Foo is not a known field`],
  [
    'an unknown aliquot field',
    facturaB({ Iva: { AlicIva: { Id: 5, BaseImp: 1000, Importe: 210, Tasa: 21 } } }),
    400,
    'AlicIva.0.Tasa',
  ],
  ['an unknown header field', header({ Foo: 1 }), 400, 'FeCAEReq.FeCabReq.Foo'],
  ['no FeCAEReq', without(['FeCAEReq']), 400, 'FeCAEReq is required'],
  ['no FeCabReq', without(['FeCAEReq', 'FeCabReq']), 400, 'FeCAEReq.FeCabReq is required'],
  ['no FeDetReq', without(['FeCAEReq', 'FeDetReq']), 400, 'FeCAEReq.FeDetReq is required'],
  ['no details', details(), 400, 'FECAEDetRequest'],
  ['CantReg not matching the details', header({ CantReg: 2 }), 400, '10002'],
  ['CantReg 0', header({ CantReg: 0 }), 400, 'CantReg'],
  ['CantReg as a string', header({ CantReg: '1' }), 400, 'CantReg'],
  ['PtoVta 0', header({ PtoVta: 0 }), 400, 'PtoVta'],
  ['PtoVta 100000', header({ PtoVta: 100_000 }), 400, 'PtoVta'],
  ['PtoVta 1.5', header({ PtoVta: 1.5 }), 400, 'PtoVta'],
  ['CbteTipo 0', header({ CbteTipo: 0 }), 400, 'CbteTipo'],
  ['an unknown CbteTipo', header({ CbteTipo: 998 }), 400, '10007'],
  ['Concepto 4', facturaB({ Concepto: 4 }), 400, `${D}.Concepto`],
  ['no Concepto', facturaB({ Concepto: undefined }), 400, `${D}.Concepto is required`],
  ['DocTipo as a string', facturaB({ DocTipo: '96' }), 400, `${D}.DocTipo`],
  ['a negative DocNro', facturaB({ DocNro: -1 }), 400, `${D}.DocNro`],
  ['a huge DocNro', facturaB({ DocNro: 1e15 }), 400, `${D}.DocNro`],
  ['ImpTotal as a string', facturaB({ ImpTotal: '1210.00' }), 400, `${D}.ImpTotal`],
  ['a negative ImpTotal', facturaB({ ImpTotal: -1210 }), 400, `${D}.ImpTotal`],
  ['a huge ImpTotal', facturaB({ ImpTotal: 1e20 }), 400, `${D}.ImpTotal`],
  ['three decimals', facturaB({ ImpTotal: 1210.001 }), 400, `${D}.ImpTotal`],
  ['ImpTotal off by 0.02', facturaB({ ImpTotal: 1210.02 }), 400, '10048'],
  ['no ImpNeto', facturaB({ ImpNeto: undefined }), 400, `${D}.ImpNeto is required`],
  ['ImpIVA null', facturaB({ ImpIVA: null }), 400, `${D}.ImpIVA is required`],
  ['ImpIVA not the aliquots sum', facturaB({ ImpIVA: 200, ImpTotal: 1200 }), 400, '10023'],
  [
    'an aliquot amount not base x rate',
    facturaB({ ImpIVA: 200, ImpTotal: 1200, Iva: aliquot(5, 1000, 200) }),
    400,
    '10051',
  ],
  ['aliquot bases not ImpNeto', facturaB({ Iva: aliquot(5, 900, 210) }), 400, '10061'],
  ['an unknown aliquot id', facturaB({ Iva: aliquot(77, 1000, 210) }), 400, '10020'],
  ['VAT without Iva', facturaB({ Iva: undefined }), 400, '10018'],
  ['Iva as a string', facturaB({ Iva: '21%' }), 400, `${D}.Iva`],
  [
    'a repeated aliquot',
    facturaB({
      Iva: {
        AlicIva: [
          { Id: 5, BaseImp: 500, Importe: 105 },
          { Id: 5, BaseImp: 500, Importe: 105 },
        ],
      },
    }),
    400,
    '10022',
  ],
  ['IVA on class C', header({ CbteTipo: 11 }), 400, '10071'],
  ['class A to a DNI', header({ CbteTipo: 1 }, { CondicionIVAReceptorId: 1 }), 400, '10013'],
  ['a receiver condition invalid for class B', facturaB({ CondicionIVAReceptorId: 1 }), 400, '10243'],
  ['an unknown receiver condition', facturaB({ CondicionIVAReceptorId: 77 }), 400, '10242'],
  ['CbteFch with dashes', facturaB({ CbteFch: '2025-07-05' }), 400, `${D}.CbteFch`],
  ['CbteFch not a calendar date', facturaB({ CbteFch: '20250230' }), 400, `${D}.CbteFch`],
  ['CbteFch as a number', facturaB({ CbteFch: 20250705 }), 400, `${D}.CbteFch`],
  ['CbteFch 20 days ago for products', facturaB({ CbteFch: daysAgo(20) }), 400, '10016'],
  ['services without service dates', facturaB({ Concepto: 2 }), 400, '10049'],
  ['products with service dates', facturaB({ FchServDesde: daysAgo(1) }), 400, '10036'],
  [
    'service end before its start',
    facturaB({ Concepto: 2, FchServDesde: daysAgo(1), FchServHasta: daysAgo(3), FchVtoPago: daysAgo(-5) }),
    400,
    '10033',
  ],
  ['an unknown currency', facturaB({ MonId: 'XXX' }), 400, '10037'],
  ['a currency name instead of its id', facturaB({ MonId: 'pesos' }), 400, `${D}.MonId`],
  ['PES at a rate other than 1', facturaB({ MonCotiz: 2 }), 400, '10039'],
  ['no MonCotiz', facturaB({ MonCotiz: undefined }), 400, `${D}.MonCotiz is required`],
  ['CanMisMonExt X', facturaB({ CanMisMonExt: 'X' }), 400, `${D}.CanMisMonExt`],
  ['ImpTrib without Tributos', facturaB({ ImpTrib: 10, ImpTotal: 1220 }), 400, '10024'],
  [
    'tribute 99 without Desc',
    facturaB({
      ImpTrib: 10,
      ImpTotal: 1220,
      Tributos: { Tributo: { Id: 99, BaseImp: 1000, Alic: 1, Importe: 10 } },
    }),
    400,
    '10042',
  ],
  [
    'tributes not adding up to ImpTrib',
    facturaB({
      ImpTrib: 10,
      ImpTotal: 1220,
      Tributos: { Tributo: { Id: 2, BaseImp: 1000, Alic: 2, Importe: 20 } },
    }),
    400,
    '10029',
  ],
  ['CbteDesde without CbteHasta', facturaB({ CbteDesde: 5 }), 400, `${D}.CbteHasta`],
  ['CbteDesde 0', facturaB({ CbteDesde: 0, CbteHasta: 0 }), 400, `${D}.CbteDesde`],
  ['CbteHasta before CbteDesde', facturaB({ CbteDesde: 9, CbteHasta: 8 }), 400, '10011'],
  ['a B range to an identified receiver', facturaB({ CbteDesde: 1, CbteHasta: 3 }), 400, '10014'],
  ['a credit note without associated voucher', header({ CbteTipo: 8 }), 400, '10197'],
  [
    'an unknown optional datum',
    facturaB({ Opcionales: { Opcional: { Id: '9999', Valor: 'x' } } }),
    400,
    '10052',
  ],
  [
    'the issuer as its own receiver',
    facturaB({ DocTipo: 80, DocNro: CUIT, CondicionIVAReceptorId: 5 }),
    400,
    '10069',
  ],
  [
    'details not consecutive',
    details({ CbteDesde: 1, CbteHasta: 1 }, { CbteDesde: 3, CbteHasta: 3 }),
    400,
    'consecutive',
  ],
  [
    'numbered and unnumbered details mixed',
    details({ CbteDesde: 1, CbteHasta: 1 }, {}),
    400,
    'number every detail or none',
  ],
  ['a body of 1 MB', { ...facturaB(), padding: 'x'.repeat(1_048_576) }, 413, 'PAYLOAD_TOO_LARGE'],
  // Characters XML 1.0 (ARCA's SOAP) or PostgreSQL's jsonb cannot carry: refused naming the field.
  ...['\u0000', '\ud800', '\udfff', '\u0001', '\u001f', '\ufffe'].map(
    (char): [string, unknown, number, string] => [
      `U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} in Tributo.Desc`,
      facturaB({
        ImpTrib: 10,
        ImpTotal: 1220,
        Tributos: {
          Tributo: { Id: 99, Desc: `Tasa ${char} municipal`, BaseImp: 1000, Alic: 1, Importe: 10 },
        },
      }),
      400,
      'FeCAEReq.FeDetReq.FECAEDetRequest.Tributos.Tributo.Desc contains U+',
    ],
  ),
  ['a control character in a field name', { ...facturaB(), 'Au\u0007th': {} }, 400, 'xmlChar'],
];

describe('malformed and inconsistent invoices: a 4xx naming the problem, nothing sent, nothing stored', () => {
  const world = billingWorld();
  let url: string;
  let sentBefore: number;
  let journalBefore: number;

  const journalRows = async () =>
    (await world.db.query(`SELECT count(*)::int AS n FROM invoice_request`)).rows[0].n as number;

  beforeAll(async () => {
    url = (await world.gateway()).url;
    await postInvoice(url, facturaB()); // tables cached and ticket held, so only invoices could reach the sandbox
    sentBefore = world.calls('FECAESolicitar');
    journalBefore = await journalRows();
  });

  it(`has at least 60 cases`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES)('%s', async (_what, body, status, text) => {
    const answer = await postInvoice(url, body);
    expect(answer.status, JSON.stringify(answer.json)).toBe(status);
    expect(JSON.stringify(answer.json)).toContain(text);
    expect(answer.json.requestId).toEqual(expect.any(String));
  });

  it('an Idempotency-Key that is not a key', async () => {
    const answer = await postInvoice(url, facturaB(), { 'idempotency-key': 'x'.repeat(300) });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toContain('Idempotency-Key');
  });

  it('sent none of them to ARCA and stored none of them', async () => {
    expect(world.calls('FECAESolicitar')).toBe(sentBefore);
    expect(await journalRows()).toBe(journalBefore);
  });
});
