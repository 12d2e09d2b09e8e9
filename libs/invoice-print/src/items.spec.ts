import { describe, expect, it } from 'vitest';
import { checkItems, type ItemLine, lineNet } from './items.js';

const A = { classC: false, relaxedIva: false };
const TOTALS = {
  ImpNeto: 3100,
  ImpTotConc: 0,
  ImpOpEx: 0,
  Iva: [
    { Id: 5, BaseImp: 2000, Importe: 420 },
    { Id: 4, BaseImp: 1100, Importe: 115.5 },
  ],
};
const LINES: ItemLine[] = [
  { Description: 'Café', Quantity: 2, UnitPrice: 500, AlicIvaId: 5 },
  { Description: 'Molinillo', Quantity: 1, UnitPrice: 1000, AlicIvaId: 5 },
  { Description: 'Pan', Quantity: 2.5, UnitPrice: 480, AlicIvaId: 4, Discount: 100 },
];

describe('lines against the totals', () => {
  it('accepts lines that add up per rate, net and IVA', () => {
    expect(lineNet(LINES[2]!)).toBe(1100);
    expect(checkItems(LINES, TOTALS, A)).toEqual([]);
  });

  it('names the rate whose lines do not add up to its BaseImp', () => {
    const problems = checkItems([LINES[0]!, LINES[2]!], TOTALS, A);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'Items',
        rule: 'items.net',
        message: expect.stringContaining('AlicIvaId 5'),
      }),
    ]);
    expect(problems[0]!.message).toContain('line 0');
    expect(problems[0]!.message).toContain('1000.00');
  });

  it("allows ARCA's tolerance of a cent per line, and not more", () => {
    const thirds: ItemLine[] = [0, 1, 2].map(() => ({
      Description: 'x',
      Quantity: 1,
      UnitPrice: 33.333,
      AlicIvaId: 5,
    }));
    const totals = { ImpNeto: 100, ImpTotConc: 0, ImpOpEx: 0, Iva: [{ Id: 5, BaseImp: 100, Importe: 21 }] };
    // Three lines of 33.33 are 99.99: within 3 × 0.01.
    expect(checkItems(thirds, totals, A)).toEqual([]);
    const off = { ...totals, ImpNeto: 100.05, Iva: [{ Id: 5, BaseImp: 100.05, Importe: 21.01 }] };
    expect(checkItems(thirds, off, A).map((problem) => problem.rule)).toEqual(['items.net']);
  });

  it('checks the IVA of a rate when its net agrees', () => {
    const totals = { ...TOTALS, Iva: [{ Id: 5, BaseImp: 2000, Importe: 400 }, TOTALS.Iva[1]!] };
    expect(checkItems(LINES, totals, A)).toEqual([
      expect.objectContaining({ rule: 'items.iva', message: expect.stringContaining('carry IVA 420.00') }),
    ]);
  });

  it('refuses a line rate the voucher has no AlicIva for, and untaxed lines that miss ImpOpEx + ImpTotConc', () => {
    const lines: ItemLine[] = [...LINES, { Description: 'Libro', Quantity: 1, UnitPrice: 50 }];
    expect(checkItems(lines, TOTALS, A)).toEqual([expect.objectContaining({ rule: 'items.untaxed' })]);
    expect(checkItems(lines, { ...TOTALS, ImpOpEx: 50 }, A)).toEqual([]);
    const other: ItemLine[] = [...LINES, { Description: 'Vino', Quantity: 1, UnitPrice: 0, AlicIvaId: 6 }];
    expect(checkItems(other, TOTALS, A)).toEqual([
      expect.objectContaining({ field: 'Items.3.AlicIvaId', rule: 'items.rate' }),
    ]);
  });

  it('on class C: no rates, and all lines add up to ImpNeto', () => {
    const C = { classC: true, relaxedIva: false };
    const lines: ItemLine[] = [{ Description: 'Corte', Quantity: 1, UnitPrice: 8000 }];
    expect(checkItems(lines, { ImpNeto: 8000, ImpTotConc: 0, ImpOpEx: 0 }, C)).toEqual([]);
    expect(
      checkItems([{ ...lines[0]!, AlicIvaId: 5 }], { ImpNeto: 8000, ImpTotConc: 0, ImpOpEx: 0 }, C),
    ).toEqual([expect.objectContaining({ field: 'Items.0.AlicIvaId', rule: 'items.class-c' })]);
    expect(checkItems(lines, { ImpNeto: 7000, ImpTotConc: 0, ImpOpEx: 0 }, C)).toEqual([
      expect.objectContaining({ rule: 'items.net' }),
    ]);
  });

  it('refuses a discount larger than the line', () => {
    const lines: ItemLine[] = [{ Description: 'x', Quantity: 1, UnitPrice: 10, AlicIvaId: 5, Discount: 20 }];
    const totals = { ImpNeto: 0, ImpTotConc: 0, ImpOpEx: 0, Iva: [{ Id: 5, BaseImp: 0, Importe: 0 }] };
    expect(checkItems(lines, totals, A).map((problem) => problem.field)).toContain('Items.0.Discount');
  });
});
