import { describe, expect, it } from 'vitest';
import { MAX_SHARED_ROWS, SharedInserts } from './shared-inserts.js';

/** An error as `pg` raises it, with PostgreSQL's SQLSTATE. */
function sqlError(code: string): Error {
  return Object.assign(new Error(`sqlstate ${code}`), { code });
}

describe('SharedInserts', () => {
  it('inserts the rows added in one turn with one call, after the turn, and says which it inserted', async () => {
    const calls: string[][] = [];
    const inserts = new SharedInserts<string>(async (rows) => {
      calls.push(rows);
      return new Set(rows.filter((row) => row !== 'used key'));
    });
    const answers = Promise.all(['a', 'used key', 'b'].map((row) => inserts.add(row)));
    expect(calls).toEqual([]);
    expect(await answers).toEqual([true, false, true]);
    expect(calls).toEqual([['a', 'used key', 'b']]);
    // A later turn is a statement of its own.
    expect(await inserts.add('c')).toBe(true);
    expect(calls).toEqual([['a', 'used key', 'b'], ['c']]);
  });

  it(`splits a turn's rows into statements of at most ${MAX_SHARED_ROWS}`, async () => {
    const sizes: number[] = [];
    const inserts = new SharedInserts<number>(async (rows) => {
      sizes.push(rows.length);
      return new Set(rows);
    });
    const rows = Array.from({ length: MAX_SHARED_ROWS * 2 + 3 }, (_, index) => index);
    expect(await Promise.all(rows.map((row) => inserts.add(row)))).toEqual(rows.map(() => true));
    expect(sizes).toEqual([MAX_SHARED_ROWS, MAX_SHARED_ROWS, 3]);
  });

  it("tries again row by row when a row's data or a constraint failed the statement: only that row fails", async () => {
    const calls: string[][] = [];
    const inserts = new SharedInserts<string>(async (rows) => {
      calls.push(rows);
      if (rows.includes('too long')) throw sqlError('22001');
      if (rows.includes('deleted key')) throw sqlError('23503');
      return new Set(rows);
    });
    const answers = await Promise.allSettled(
      ['a', 'too long', 'b', 'deleted key'].map((row) => inserts.add(row)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect((answers[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22001' });
    expect((answers[3] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    expect(calls).toEqual([
      ['a', 'too long', 'b', 'deleted key'],
      ['a'],
      ['too long'],
      ['b'],
      ['deleted key'],
    ]);
  });

  it('fails every row, without trying again, when the statement failed for anything else', async () => {
    let calls = 0;
    const inserts = new SharedInserts<string>(async () => {
      calls += 1;
      throw new Error('Connection terminated unexpectedly');
    });
    const answers = await Promise.allSettled(['a', 'b', 'c'].map((row) => inserts.add(row)));
    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
  });
});
