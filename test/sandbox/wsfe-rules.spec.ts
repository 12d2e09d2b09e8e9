import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Credentials, login, startTestSandbox, type TestSandbox } from '#libs/testing';
import { facturaB, solicitar, today } from './wsfe-support.js';

const CUIT = 20123456789;

describe("sandbox FECAESolicitar: ARCA's rules and codes", () => {
  let sandbox: TestSandbox;
  let credentials: Credentials;
  let ptoVta = 0;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    credentials = await login(sandbox, String(CUIT));
  });
  beforeEach(() => {
    ptoVta += 1; // each test numbers on a lane of its own
  });
  afterAll(() => sandbox.stop());

  it('authorizes a valid Factura B with a 14-digit CAE expiring ten days after CbteFch', async () => {
    const fch = today(sandbox);
    const { outcome, text } = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, [
      facturaB(1, fch),
    ]);
    expect(outcome).toMatchObject({ resultado: 'A', errors: [], details: [{ resultado: 'A', obs: [] }] });
    expect(outcome.details[0]?.cae).toMatch(/^\d{14}$/);
    const vto = new Date(`${fch.slice(0, 4)}-${fch.slice(4, 6)}-${fch.slice(6)}T00:00:00Z`);
    vto.setUTCDate(vto.getUTCDate() + 10);
    expect(text).toContain(`<CAEFchVto>${vto.toISOString().slice(0, 10).replace(/-/g, '')}</CAEFchVto>`);
    expect(text).toContain('<Reproceso>N</Reproceso>');
  });

  it('refuses a number that is not the next one with Err 10016, and an identical resend the same way', async () => {
    const fch = today(sandbox);
    const skipped = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, [
      facturaB(2, fch),
    ]);
    expect(skipped.outcome).toMatchObject({
      resultado: 'R',
      errors: [10016],
      details: [{ resultado: 'R', obs: [] }],
    });
    expect(skipped.text).toContain('<CAE /><CAEFchVto />');
    expect(
      (await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, [facturaB(1, fch)])).outcome
        .resultado,
    ).toBe('A');
    const resend = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, [facturaB(1, fch)]);
    expect(resend.outcome).toMatchObject({ resultado: 'R', errors: [10016] });
  });

  it('numbers each (CUIT, PtoVta, CbteTipo) on its own', async () => {
    const fch = today(sandbox);
    expect(
      (await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, [facturaB(1, fch)])).outcome
        .resultado,
    ).toBe('A');
    expect(
      (await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 11 }, [facturaC(1, fch)])).outcome
        .resultado,
    ).toBe('A');
    expect(
      (await solicitar(sandbox, credentials, { PtoVta: ptoVta + 1000, CbteTipo: 6 }, [facturaB(1, fch)]))
        .outcome.resultado,
    ).toBe('A');
  });

  it('stops a batch at the first rejection: later details come back R without observations (Resultado P)', async () => {
    const fch = today(sandbox);
    const details = [facturaB(1, fch), facturaB(2, fch, { ImpTotal: 1300 }), facturaB(3, fch)];
    const { outcome } = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, details);
    expect(outcome).toMatchObject({
      resultado: 'P',
      errors: [],
      details: [
        { resultado: 'A', obs: [] },
        { resultado: 'R', obs: [10048] },
        { resultado: 'R', obs: [] },
      ],
    });
  });

  it('refuses a whole batch that starts with the wrong number: all R, one Err 10016', async () => {
    const fch = today(sandbox);
    const details = [facturaB(5, fch), facturaB(6, fch), facturaB(7, fch)];
    const { outcome } = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 6 }, details);
    expect(outcome.resultado).toBe('R');
    expect(outcome.errors).toEqual([10016]);
    expect(outcome.details.map((detail) => detail.resultado)).toEqual(['R', 'R', 'R']);
  });

  type Case = [
    string,
    number,
    (fch: string) => Record<string, unknown>,
    { errors?: number[]; obs?: number[]; resultado?: string },
  ];
  const cases: Case[] = [
    ['ImpTotal off by 0.02', 6, (f) => facturaB(1, f, { ImpTotal: 1210.02 }), { obs: [10048] }],
    [
      'ImpTotal off by 0.01 (within tolerance)',
      6,
      (f) => facturaB(1, f, { ImpTotal: 1210.01 }),
      { resultado: 'A' },
    ],
    ['IVA without the Iva array', 6, (f) => facturaB(1, f, { Iva: undefined }), { obs: [10018, 10070] }],
    [
      'an aliquot Importe that is not BaseImp x rate',
      6,
      (f) =>
        facturaB(1, f, {
          ImpIVA: 250,
          ImpTotal: 1250,
          Iva: { AlicIva: [{ Id: 5, BaseImp: 1000, Importe: 250 }] },
        }),
      { obs: [10051] },
    ],
    [
      'Iva amounts that do not add up to ImpIVA',
      6,
      (f) => facturaB(1, f, { ImpIVA: 200, ImpTotal: 1200 }),
      { obs: [10023] },
    ],
    [
      'BaseImp that does not add up to ImpNeto',
      6,
      (f) => facturaB(1, f, { Iva: { AlicIva: [{ Id: 5, BaseImp: 900, Importe: 210 }] } }),
      { obs: [10051, 10061] },
    ],
    [
      'an unknown aliquot Id',
      6,
      (f) => facturaB(1, f, { Iva: { AlicIva: [{ Id: 7, BaseImp: 1000, Importe: 210 }] } }),
      { obs: [10020] },
    ],
    [
      'a repeated aliquot Id',
      6,
      (f) =>
        facturaB(1, f, {
          ImpNeto: 1000,
          Iva: {
            AlicIva: [
              { Id: 5, BaseImp: 500, Importe: 105 },
              { Id: 5, BaseImp: 500, Importe: 105 },
            ],
          },
        }),
      { obs: [10022] },
    ],
    [
      'ImpIVA 0 with a 21 % aliquot',
      6,
      (f) =>
        facturaB(1, f, {
          ImpIVA: 0,
          ImpTotal: 1000,
          Iva: { AlicIva: [{ Id: 5, BaseImp: 1000, Importe: 0 }] },
        }),
      { obs: [10019, 10051] },
    ],
    [
      'IVA on a Factura C',
      11,
      (f) =>
        facturaC(1, f, {
          ImpIVA: 210,
          ImpTotal: 1210,
          Iva: { AlicIva: [{ Id: 5, BaseImp: 1000, Importe: 210 }] },
        }),
      { obs: [10048, 10071] },
    ],
    ['a Factura A to a DNI', 1, (f) => facturaA(1, f, { DocTipo: 96, DocNro: 12345678 }), { obs: [10013] }],
    [
      'a Factura A to a final consumer condition',
      1,
      (f) => facturaA(1, f, { CondicionIVAReceptorId: 5 }),
      { obs: [10243] },
    ],
    [
      'a CondicionIVAReceptorId that does not exist',
      6,
      (f) => facturaB(1, f, { CondicionIVAReceptorId: 3 }),
      { obs: [10242] },
    ],
    [
      'a Factura B to a Responsable Inscripto condition',
      6,
      (f) => facturaB(1, f, { CondicionIVAReceptorId: 1 }),
      { obs: [10243] },
    ],
    [
      'a Factura A to a Monotributo receiver (approved with the legend)',
      1,
      (f) => facturaA(1, f, { CondicionIVAReceptorId: 6 }),
      { resultado: 'A', obs: [10217] },
    ],
    ['a CbteFch six days ago for products', 6, (f) => facturaB(1, shift(f, -6)), { obs: [10016] }],
    [
      'a CbteFch nine days ago for services',
      6,
      (f) => services(facturaB(1, shift(f, -9)), f),
      { resultado: 'A' },
    ],
    [
      'a CbteFch eleven days ago for services',
      6,
      (f) => services(facturaB(1, shift(f, -11)), f),
      { obs: [10016] },
    ],
    ['services without their dates', 6, (f) => facturaB(1, f, { Concepto: 2 }), { obs: [10049] }],
    [
      'service dates upside down',
      6,
      (f) => services(facturaB(1, f), f, { FchServDesde: shift(f, 2), FchServHasta: shift(f, 1) }),
      { obs: [10033] },
    ],
    [
      'a payment due before the voucher',
      6,
      (f) => services(facturaB(1, f), f, { FchVtoPago: shift(f, -1) }),
      { obs: [10035] },
    ],
    ['service dates on a products voucher', 6, (f) => facturaB(1, f, { FchServDesde: f }), { obs: [10036] }],
    ['Concepto 4', 6, (f) => facturaB(1, f, { Concepto: 4 }), { obs: [10030] }],
    ['an unknown currency', 6, (f) => facturaB(1, f, { MonId: 'XXX' }), { obs: [10037] }],
    ['pesos at a rate other than 1', 6, (f) => facturaB(1, f, { MonCotiz: 2 }), { obs: [10039] }],
    [
      'dollars without a rate',
      6,
      (f) => facturaB(1, f, { MonId: 'DOL', MonCotiz: undefined }),
      { obs: [10038] },
    ],
    [
      'dollars at 5 % of the official rate',
      6,
      (f) => facturaB(1, f, { MonId: 'DOL', MonCotiz: 1 }),
      { obs: [10119] },
    ],
    [
      'dollars at a plausible rate',
      6,
      (f) => facturaB(1, f, { MonId: 'DOL', MonCotiz: 1000 }),
      { resultado: 'A' },
    ],
    [
      'a tribute with no ImpTrib',
      6,
      (f) =>
        facturaB(1, f, {
          Tributos: { Tributo: [{ Id: 99, Desc: 'Tasa', BaseImp: 1000, Alic: 1, Importe: 10 }] },
        }),
      { obs: [10024, 10029] },
    ],
    [
      'tribute 99 without Desc',
      6,
      (f) =>
        facturaB(1, f, {
          ImpTrib: 10,
          ImpTotal: 1220,
          Tributos: { Tributo: [{ Id: 99, BaseImp: 1000, Alic: 1, Importe: 10 }] },
        }),
      { obs: [10042] },
    ],
    ['a credit note with nothing associated', 8, (f) => facturaB(1, f), { obs: [10197] }],
    [
      'a credit note associated with a Factura B',
      8,
      (f) => facturaB(1, f, { CbtesAsoc: { CbteAsoc: [{ Tipo: 6, PtoVta: 1, Nro: 1 }] } }),
      { resultado: 'A' },
    ],
    [
      'a B credit note associated with a Factura A',
      8,
      (f) => facturaB(1, f, { CbtesAsoc: { CbteAsoc: [{ Tipo: 1, PtoVta: 1, Nro: 1 }] } }),
      { obs: [10057] },
    ],
    ['a negative amount', 6, (f) => facturaB(1, f, { ImpOpEx: -1, ImpTotal: 1209 }), { obs: [10046] }],
    [
      'amounts with three decimals',
      6,
      (f) => facturaB(1, f, { ImpTotConc: 0.001, ImpTotal: 1210.001 }),
      { obs: [10056] },
    ],
    ['the issuer as receiver', 1, (f) => facturaA(1, f, { DocNro: CUIT }), { obs: [10069] }],
    ['a B batch to identified receivers', 6, (f) => facturaB(1, f, { CbteHasta: 3 }), { obs: [10014] }],
    [
      'a B batch to anonymous consumers',
      6,
      (f) => facturaB(1, f, { CbteHasta: 3, DocTipo: 99, DocNro: 0 }),
      { resultado: 'A' },
    ],
    [
      'a Factura A with CbteHasta beyond CbteDesde',
      1,
      (f) => facturaA(1, f, { CbteHasta: 2 }),
      { obs: [10012] },
    ],
    [
      'an unknown optional field',
      6,
      (f) => facturaB(1, f, { Opcionales: { Opcional: [{ Id: '999', Valor: 'x' }] } }),
      { obs: [10052] },
    ],
  ];

  it.each(cases)('%s', async (_name, cbteTipo, detail, expected) => {
    const { outcome } = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: cbteTipo }, [
      detail(today(sandbox)),
    ]);
    const resultado = expected.resultado ?? 'R';
    expect(outcome.resultado).toBe(resultado);
    expect(outcome.errors).toEqual(expected.errors ?? []);
    expect(outcome.details[0]?.resultado).toBe(resultado);
    expect(outcome.details[0]?.obs).toEqual(expected.obs ?? []);
  });

  it.each<[string, { CantReg?: number; PtoVta: number; CbteTipo: number }, number]>([
    ['CantReg 0', { CantReg: 0, PtoVta: 1, CbteTipo: 6 }, 10001],
    ['CantReg that does not match the details', { CantReg: 2, PtoVta: 1, CbteTipo: 6 }, 10002],
    ['PtoVta 0', { PtoVta: 0, CbteTipo: 6 }, 10004],
    ['PtoVta 99999', { PtoVta: 99999, CbteTipo: 6 }, 10004],
    ['CbteTipo 0', { PtoVta: 1, CbteTipo: 0 }, 10006],
    ['CbteTipo 14 (no such type)', { PtoVta: 1, CbteTipo: 14 }, 10007],
  ])('refuses a header with %s in Errors', async (_name, cab, code) => {
    const { outcome } = await solicitar(sandbox, credentials, cab, [facturaB(1, today(sandbox))]);
    expect(outcome.resultado).toBe('R');
    expect(outcome.errors).toContain(code);
  });

  it('refuses more records than FECompTotXRequest allows (FCE: one)', async () => {
    const fch = today(sandbox);
    const { outcome } = await solicitar(sandbox, credentials, { PtoVta: ptoVta, CbteTipo: 206 }, [
      facturaB(1, fch),
      facturaB(2, fch),
    ]);
    expect(outcome.errors).toContain(10003);
  });

  it('requires CondicionIVAReceptorId from 2026-12-01 (10246), not before', async () => {
    const attempt = async (isoNow: string, fch: string, lane: number) => {
      sandbox.clock.set(new Date(isoNow));
      const fresh = await login(sandbox, String(CUIT));
      return solicitar(sandbox, fresh, { PtoVta: lane, CbteTipo: 6 }, [
        facturaB(1, fch, { CondicionIVAReceptorId: undefined }),
      ]);
    };
    try {
      const accepted = await attempt('2026-11-30T15:00:00Z', '20261130', ptoVta + 5000);
      const refused = await attempt('2026-12-01T15:00:00Z', '20261201', ptoVta + 6000);
      expect(accepted.outcome.resultado).toBe('A');
      expect(refused.outcome).toMatchObject({ resultado: 'R', details: [{ obs: [10246] }] });
    } finally {
      sandbox.clock.reset();
    }
  });
});

function facturaA(nro: number, fch: string, overrides: Record<string, unknown> = {}) {
  return facturaB(nro, fch, { DocTipo: 80, DocNro: 30712345671, CondicionIVAReceptorId: 1, ...overrides });
}

function facturaC(nro: number, fch: string, overrides: Record<string, unknown> = {}) {
  return facturaB(nro, fch, { ImpTotal: 1000, ImpNeto: 1000, ImpIVA: 0, Iva: undefined, ...overrides });
}

function services(detail: Record<string, unknown>, fch: string, dates: Record<string, string> = {}) {
  return {
    ...detail,
    Concepto: 2,
    FchServDesde: shift(fch, -30),
    FchServHasta: shift(fch, -1),
    FchVtoPago: shift(fch, 10),
    ...dates,
  };
}

function shift(fch: string, days: number): string {
  const date = new Date(`${fch.slice(0, 4)}-${fch.slice(4, 6)}-${fch.slice(6)}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}
