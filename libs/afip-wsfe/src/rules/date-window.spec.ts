import { describe, expect, it } from 'vitest';
import { addDays } from '../dates.js';
import { dateWindow } from './date-window.js';
import { checkDetail, type Detail } from './invoice-rules.js';
import { ruleTablesFrom } from './rule-tables.js';

const DATE_CODES = new Set([10016, 10152]);

/** Whether checkDetail refuses `fch` for its date alone (10016 window, 10152 month). */
function refusesDate(cbteTipo: number, concepto: number, today: string, fch: string): boolean {
  const detail = {
    Concepto: concepto,
    DocTipo: 99,
    DocNro: 0,
    CbteDesde: 1,
    CbteHasta: 1,
    CbteFch: fch,
    ImpTotal: 0,
    ImpTotConc: 0,
    ImpNeto: 0,
    ImpOpEx: 0,
    ImpTrib: 0,
    ImpIVA: 0,
    MonId: 'PES',
    MonCotiz: 1,
    ...(concepto === 1 ? {} : { FchServDesde: today, FchServHasta: today, FchVtoPago: addDays(today, 30) }),
  } as Detail;
  const outcome = checkDetail(detail, {
    cuit: 20123456789,
    cbteTipo,
    today,
    tables: ruleTablesFrom({
      monedas: [{ Id: 'PES' }],
      tributos: [],
      opcionales: [],
      iva: [],
      condicionesIvaReceptor: [],
    }),
    rateOf: () => undefined,
    isMonotributista: () => false,
  });
  return outcome.rejections.some((rejection) => DATE_CODES.has(rejection.Code));
}

describe('dateWindow: the CbteFch ARCA accepts', () => {
  const cases = [
    { cbteTipo: 6, concepto: 1, name: 'Factura B, products' },
    { cbteTipo: 6, concepto: 2, name: 'Factura B, services' },
    { cbteTipo: 1, concepto: 3, name: 'Factura A, products and services' },
    { cbteTipo: 201, concepto: 1, name: 'FCE A' },
    { cbteTipo: 203, concepto: 1, name: 'FCE A credit note' },
  ];
  // Mid-month, near the end of a month, and across a year's end.
  const days = ['20261115', '20261128', '20261230', '20260227'];

  for (const { cbteTipo, concepto, name } of cases) {
    it(`agrees with the rules ARCA applies, day by day, for ${name}`, () => {
      for (const today of days) {
        const window = dateWindow(cbteTipo, concepto, today);
        for (let offset = -15; offset <= 15; offset += 1) {
          const fch = addDays(today, offset);
          const inside = fch >= window.from && fch <= window.to;
          expect(refusesDate(cbteTipo, concepto, today, fch), `${today} ${fch}`).toBe(!inside);
        }
      }
    });
  }

  it('ends a product window at the end of the month, and lets services cross it', () => {
    expect(dateWindow(6, 1, '20261128')).toMatchObject({ from: '20261123', to: '20261130', sameMonth: true });
    expect(dateWindow(6, 2, '20261128')).toMatchObject({
      from: '20261118',
      to: '20261208',
      sameMonth: false,
    });
    expect(dateWindow(6, 1, '20261115').to).toBe('20261120');
  });
});
