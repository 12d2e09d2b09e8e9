import { describe, expect, it } from 'vitest';
import { ruleTablesFrom } from './rule-tables.js';

describe('ruleTablesFrom', () => {
  const tables = ruleTablesFrom({
    monedas: [{ Id: 'PES' }, { Id: 'DOL' }],
    tributos: [{ Id: 99 }, { Id: '7' }],
    opcionales: [{ Id: '2101' }],
    iva: [
      { Id: '5', Desc: '21%' },
      { Id: '4', Desc: '10.5%' },
      { Id: '9', Desc: '2,5 %' },
      { Id: '3', Desc: '0%' },
      { Id: '77', Desc: 'Exento' },
    ],
    condicionesIvaReceptor: [
      { Id: 1, Cmp_Clase: 'A, C' },
      { Id: 5, Cmp_Clase: 'B/C/49' },
    ],
  });

  it('reads aliquot rates from ARCA descriptions and leaves out rows without a percentage', () => {
    expect([...tables.ivaRates]).toEqual([
      [5, 0.21],
      [4, 0.105],
      [9, 0.025],
      [3, 0],
    ]);
  });

  it('splits Cmp_Clase whatever the separator and normalizes ids', () => {
    expect(tables.receiverConditions.get(1)).toEqual(['A', 'C']);
    expect(tables.receiverConditions.get(5)).toEqual(['B', 'C', '49']);
    expect(tables.tributes.has(7)).toBe(true);
    expect(tables.currencies.has('DOL')).toBe(true);
    expect(tables.optionals.has('2101')).toBe(true);
  });
});
