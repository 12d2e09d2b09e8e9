import { describe, expect, it } from 'vitest';
import {
  amount,
  arcaDate,
  daysUntil,
  fromArcaDate,
  hoursUntil,
  numberList,
  toArcaDate,
  voucherNumber,
  voucherType,
} from '../../apps/console/src/format.js';

describe("the console's formatting", () => {
  it('writes a voucher number as printed: 5-digit point of sale, 8-digit number', () => {
    expect(voucherNumber(2, 42)).toBe('00002-00000042');
    expect(voucherNumber(99_998, 99_999_999)).toBe('99998-99999999');
    expect(voucherType(6)).toBe('Factura B');
    expect(voucherType(999)).toBe('Tipo 999');
  });

  it('groups exact decimal amounts without a float, per language', () => {
    expect(amount('1234567.50', 'es')).toBe('1.234.567,50');
    expect(amount('1234567.50', 'en')).toBe('1,234,567.50');
    // Beyond 2^53 a float would change the digits; the text does not.
    expect(amount('9007199254740993.01', 'es')).toBe('9.007.199.254.740.993,01');
    expect(amount('-12.00', 'es')).toBe('-12,00');
    expect(amount('100', 'en')).toBe('100');
    expect(amount('n/a', 'en')).toBe('n/a');
  });

  it("reads and writes ARCA's yyyymmdd dates", () => {
    expect(arcaDate('20261130', 'es')).toBe('30/11/2026');
    expect(arcaDate('20261130', 'en')).toBe('2026-11-30');
    expect(arcaDate(null, 'es')).toBe('');
    expect(toArcaDate('2026-11-30')).toBe('20261130');
    expect(fromArcaDate('20261130')).toBe('2026-11-30');
    expect(fromArcaDate(undefined)).toBe('');
  });

  it('counts days and hours left, negative once past', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(daysUntil('20261215', now)).toBe(15);
    expect(daysUntil('20261129', now)).toBe(-1);
    expect(daysUntil('2027-11-30T12:00:00Z', now)).toBe(365);
    expect(hoursUntil('2026-12-01T00:00:00Z', now)).toBe(12);
  });

  it('reads a typed list of numbers, naming the first entry that is not one', () => {
    expect(numberList('20123456789, 20987654321;1 2')).toEqual({
      values: [20123456789, 20987654321, 1, 2],
      bad: undefined,
    });
    expect(numberList('')).toEqual({ values: [], bad: undefined });
    expect(numberList('1, x2')).toEqual({ values: [], bad: 'x2' });
  });
});
