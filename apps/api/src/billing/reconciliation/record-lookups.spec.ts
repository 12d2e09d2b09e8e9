import { describe, expect, it } from 'vitest';
import type { FECompConsResponse } from '#libs/afip-wsfe';
import { lookUpAtOnce } from './record-lookups.js';

const record = (cbteNro: number) => ({ CbteDesde: cbteNro }) as FECompConsResponse;

describe('lookUpAtOnce', () => {
  it('asks every number, never more than `atOnce` at a time, and keeps what ARCA has and has not', async () => {
    let running = 0;
    let most = 0;
    const asked: number[] = [];
    const known = await lookUpAtOnce(
      async (cbteNro) => {
        asked.push(cbteNro);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, cbteNro % 3));
        running -= 1;
        return cbteNro > 20 ? undefined : record(cbteNro);
      },
      Array.from({ length: 25 }, (_, index) => index + 1),
      4,
    );
    expect(most).toBe(4);
    expect(asked.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(known.get(20)).toEqual(record(20));
    expect(known.get(21)).toBeNull();
    expect(known.size).toBe(25);
  });

  it('stops asking after a failure and leaves the failed number out', async () => {
    const asked: number[] = [];
    const known = await lookUpAtOnce(
      async (cbteNro) => {
        asked.push(cbteNro);
        if (cbteNro === 3) throw new Error('ARCA down');
        return record(cbteNro);
      },
      Array.from({ length: 50 }, (_, index) => index + 1),
      2,
    );
    expect(known.has(3)).toBe(false);
    // The two workers had at most one more number in hand each when the failure came.
    expect(asked.length).toBeLessThanOrEqual(4);
  });
});
