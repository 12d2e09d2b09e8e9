import { describe, expect, it } from 'vitest';
import { cuit, date, decimal, money, voucherNumber } from './format.js';

describe('printed formats', () => {
  it('spells amounts, quantities, dates, CUITs and numbers the Argentine way', () => {
    expect(money(1234567.5)).toBe('1.234.567,50');
    expect(money(0)).toBe('0,00');
    expect(money(999.999)).toBe('1.000,00');
    expect(money(-12.3)).toBe('-12,30');
    expect(decimal(2.5)).toBe('2,5');
    expect(decimal(1000)).toBe('1.000');
    expect(decimal(0.125)).toBe('0,125');
    expect(date('20261130')).toBe('30/11/2026');
    expect(cuit(20123456789)).toBe('20-12345678-9');
    expect(voucherNumber(1, 42)).toBe('00001-00000042');
    expect(voucherNumber(99998, 99999999)).toBe('99998-99999999');
  });
});
