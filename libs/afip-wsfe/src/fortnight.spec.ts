import { describe, expect, it } from 'vitest';
import {
  fortnightDays,
  fortnightOf,
  nextFortnight,
  requestableFortnights,
  requestOpens,
} from './fortnight.js';

describe('CAEA fortnights', () => {
  it('split a month at the 15th and end on its last day, February and leap years included', () => {
    expect(fortnightOf('20261115')).toEqual({ periodo: 202611, orden: 1 });
    expect(fortnightOf('20261116')).toEqual({ periodo: 202611, orden: 2 });
    expect(fortnightDays({ periodo: 202802, orden: 2 })).toEqual({ from: '20280216', to: '20280229' });
    expect(fortnightDays({ periodo: 202702, orden: 2 })).toEqual({ from: '20270216', to: '20270228' });
    expect(nextFortnight({ periodo: 202612, orden: 2 })).toEqual({ periodo: 202701, orden: 1 });
  });

  it('open their request five calendar days ahead, across a year boundary too', () => {
    expect(requestOpens({ periodo: 202701, orden: 1 })).toBe('20261227');
    expect(requestOpens({ periodo: 202611, orden: 2 })).toBe('20261111');
  });

  it('make the next fortnight requestable from its window on, in Argentina time', () => {
    // 2026-11-10 23:30 in Argentina is 2026-11-11 02:30 UTC: still the 10th there.
    expect(requestableFortnights(new Date('2026-11-11T02:30:00Z'))).toEqual([{ periodo: 202611, orden: 1 }]);
    expect(requestableFortnights(new Date('2026-11-11T03:00:00Z'))).toEqual([
      { periodo: 202611, orden: 1 },
      { periodo: 202611, orden: 2 },
    ]);
    expect(requestableFortnights(new Date('2026-12-28T12:00:00Z'))).toEqual([
      { periodo: 202612, orden: 2 },
      { periodo: 202701, orden: 1 },
    ]);
  });
});
