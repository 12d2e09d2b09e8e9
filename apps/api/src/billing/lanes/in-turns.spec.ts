import { describe, expect, it } from 'vitest';
import { inTurns } from './in-turns.js';

describe('inTurns', () => {
  it('runs every call once, in order, a few per macrotask, none before the caller goes on', async () => {
    const log: string[] = [];
    const calls = Array.from({ length: 7 }, (_, index) => () => log.push(`call ${index}`));
    inTurns(calls, 3);
    log.push('caller goes on');
    // Other work queued meanwhile (here a chain of macrotasks, as I/O callbacks would be) runs between turns.
    const other = (left: number): void => {
      log.push('other work');
      if (left > 0) setImmediate(other, left - 1);
    };
    setImmediate(other, 5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const calledAt = (index: number) => log.indexOf(`call ${index}`);
    expect(log[0]).toBe('caller goes on');
    expect(log.filter((line) => /^call \d/.test(line))).toEqual(calls.map((_, index) => `call ${index}`));
    for (const [from, to] of [
      [2, 3],
      [5, 6],
    ] as const) {
      expect(log.slice(calledAt(from), calledAt(to))).toContain('other work');
    }
    expect(log.slice(calledAt(0), calledAt(2))).not.toContain('other work');
  });

  it('does nothing for no calls', async () => {
    inTurns([]);
    await new Promise((resolve) => setImmediate(resolve));
  });
});
