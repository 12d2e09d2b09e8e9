import { describe, expect, it } from 'vitest';
import { type AuthorizedVoucher, printable } from './printable.js';

const ISSUER = {
  name: 'PEREZ JUAN',
  address: 'Av. Corrientes 1234',
  ivaCondition: 'IVA Responsable Inscripto',
  grossIncome: '901-123456-7',
  activityStart: '20200301',
};
const BASE: AuthorizedVoucher = {
  environment: 'production',
  cuit: 20123456789,
  ptoVta: 3,
  cbteTipo: 6,
  cbteNro: 15,
  detail: {
    Concepto: 1,
    DocTipo: 99,
    DocNro: 0,
    CbteFch: '20261130',
    ImpTotal: 1331,
    ImpTotConc: 0,
    ImpNeto: 1000,
    ImpOpEx: 0,
    ImpTrib: 121,
    ImpIVA: 210,
    MonId: 'PES',
    MonCotiz: 1,
    CondicionIVAReceptorId: 5,
    Iva: [{ Id: 5, BaseImp: 1000, Importe: 210 }],
    Tributos: [
      { Id: 4, Desc: 'Internos', BaseImp: 1000, Alic: 8, Importe: 80 },
      { Id: 7, BaseImp: 1000, Alic: 4.1, Importe: 41 },
    ],
  },
  items: [{ Description: 'Gaseosa', Quantity: 2, UnitPrice: 500, AlicIvaId: 5 }],
  authorization: { type: 'CAE', code: '70000000000001', due: '20261210' },
  observations: [],
  qrUrl: 'https://www.afip.gob.ar/fe/qr/?p=e30=',
};
const with_ = (change: Partial<AuthorizedVoucher>, detail: Partial<AuthorizedVoucher['detail']> = {}) => ({
  ...BASE,
  ...change,
  detail: { ...BASE.detail, ...detail },
});

describe('what a printed voucher shows', () => {
  it('B to a final consumer: prices with IVA, no IVA lines, the legend and the RG 5614 block', () => {
    const invoice = printable(BASE, ISSUER, { ivaCondition: 'Consumidor Final' });
    expect(invoice).toMatchObject({
      letter: 'B',
      code: 'COD. 06',
      name: 'FACTURA',
      number: '00003-00000015',
    });
    expect(invoice.lines[0]).toMatchObject({ unitPrice: '605,00', amount: '1.210,00', rate: '' });
    expect(invoice.totals.map((total) => total.label)).toEqual([
      'Subtotal',
      'Importe Otros Tributos',
      'Importe Total',
    ]);
    expect(invoice.totals[0]!.amount).toBe('1.210,00');
    expect(invoice.legends).toEqual(['A CONSUMIDOR FINAL']);
    // IVA contained, and only national indirect taxes (internal taxes, id 4) as the other line: not IIBB (7).
    expect(invoice.transparency?.rows).toEqual([
      { label: 'IVA Contenido', amount: '210,00' },
      { label: 'Otros Impuestos Nacionales Indirectos', amount: '80,00' },
    ]);
    expect(invoice.receiver.name).toBe('Consumidor final');
    expect(invoice.testMark).toBeUndefined();
  });

  it('B to a registered company has no transparency block and no consumer legend', () => {
    const invoice = printable(
      with_({}, { DocTipo: 80, DocNro: 30712345671, CondicionIVAReceptorId: 4 + 2 }),
      ISSUER,
      {},
    );
    expect(invoice.transparency).toBeUndefined();
    expect(invoice.legends).toEqual([]);
    expect(invoice.receiver.document).toBe('CUIT 30-71234567-1');
  });

  it('A: prices net of IVA with the rate, every rate listed, and the Ley 27.618 legend for a monotributista', () => {
    const a = with_({ cbteTipo: 1 }, { DocTipo: 80, DocNro: 20111111112, CondicionIVAReceptorId: 6 });
    const invoice = printable(a, ISSUER, { name: 'GOMEZ ANA', ivaCondition: 'Responsable Monotributo' });
    expect(invoice.letter).toBe('A');
    expect(invoice.lines[0]).toMatchObject({ unitPrice: '500,00', amount: '1.000,00', rate: '21 %' });
    expect(invoice.totals.map((total) => total.label)).toEqual([
      'Importe Neto Gravado',
      'IVA 27 %',
      'IVA 21 %',
      'IVA 10,5 %',
      'IVA 5 %',
      'IVA 2,5 %',
      'IVA 0 %',
      'Importe Otros Tributos',
      'Importe Total',
    ]);
    expect(invoice.totals.find((total) => total.label === 'IVA 21 %')?.amount).toBe('210,00');
    expect(invoice.legends).toEqual([expect.stringContaining('Ley Nº 27.618')]);
    expect(invoice.transparency).toBeUndefined();
  });

  it('ex class M prints as A with "OPERACIÓN SUJETA A RETENCIÓN"; C carries no IVA anywhere', () => {
    const m = printable(
      with_({ cbteTipo: 51 }, { DocTipo: 80, DocNro: 30712345671, CondicionIVAReceptorId: 1 }),
      ISSUER,
      {},
    );
    expect(m).toMatchObject({ letter: 'A', code: 'COD. 51', letterLegend: 'OPERACIÓN SUJETA A RETENCIÓN' });
    const c = printable(
      with_(
        { cbteTipo: 11, items: [{ Description: 'Corte', Quantity: 1, UnitPrice: 1000 }] },
        { ImpIVA: 0, Iva: undefined, ImpTrib: 0, Tributos: undefined, ImpTotal: 1000 },
      ),
      ISSUER,
      {},
    );
    expect(c.columns.rate).toBe(false);
    expect(c.totals.map((total) => total.label)).toEqual([
      'Subtotal',
      'Importe Otros Tributos',
      'Importe Total',
    ]);
    expect(c.transparency).toBeUndefined();
    expect(c.legends).toEqual(['A CONSUMIDOR FINAL']);
  });

  it('without lines, one line carries the amounts; a CAEA, a foreign currency and homologation say so', () => {
    const invoice = printable(
      with_(
        {
          items: undefined,
          environment: 'homologation',
          authorization: { type: 'CAEA', code: '36429876543210', due: '20261215' },
        },
        { MonId: 'DOL', MonCotiz: 1050.5 },
      ),
      ISSUER,
      {},
    );
    expect(invoice.lines).toHaveLength(1);
    expect(invoice.lines[0]).toMatchObject({ quantity: '1', amount: '1.210,00' });
    expect(invoice.authorization).toEqual({
      label: 'CAEA N°',
      code: '36429876543210',
      dueLabel: 'Vigencia del CAEA hasta',
      due: '15/12/2026',
    });
    expect(invoice.currency).toContain('1.050,5');
    expect(invoice.currency).toContain('1.398.215,50');
    expect(invoice.testMark).toContain('homologation');
  });

  it('has no printed form for a type outside WSFEv1 classes A, B, C', () => {
    expect(() => printable(with_({ cbteTipo: 49 }), ISSUER, {})).toThrow(/no printed form/);
  });
});
