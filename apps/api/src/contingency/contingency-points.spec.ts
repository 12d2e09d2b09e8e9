import { describe, expect, it } from 'vitest';
import { contingencyPointFor } from './contingency-points.js';

const point = (ptoVta: number, emisionTipo: string, blocked = false) => ({
  cuit: 20123456789,
  ptoVta,
  emisionTipo,
  blocked,
  fchBaja: null,
});

describe('contingency points of sale', () => {
  it('pair every CAE point of sale with the only CAEA one by default', () => {
    const points = [point(1, 'CAE - Ri Iva'), point(2, 'CAE - Ri Iva'), point(900, 'CAEA - Ri Iva')];
    expect(contingencyPointFor(20123456789, 1, points, new Map())).toBe(900);
    expect(contingencyPointFor(20123456789, 2, points, new Map())).toBe(900);
    expect(contingencyPointFor(30712345671, 1, points, new Map())).toBeUndefined();
  });

  it('need a pair when there are several, and ignore blocked ones and pairs ARCA does not list as CAEA', () => {
    const points = [
      point(1, 'CAE'),
      point(900, 'CAEA - Ri Iva'),
      point(901, 'CAEA'),
      point(902, 'CAEA', true),
    ];
    expect(contingencyPointFor(20123456789, 1, points, new Map())).toBeUndefined();
    expect(contingencyPointFor(20123456789, 1, points, new Map([['20123456789/1', 901]]))).toBe(901);
    expect(contingencyPointFor(20123456789, 1, points, new Map([['20123456789/1', 902]]))).toBeUndefined();
    expect(contingencyPointFor(20123456789, 1, points, new Map([['20123456789/1', 1]]))).toBeUndefined();
  });
});
