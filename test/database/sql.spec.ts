import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PrismaService, Sql } from '#libs/database';
import { inlined, prepared } from '#libs/database';
import { createTestDatabase, type TestDatabase, testClients } from '#libs/testing';
import { isConnectionLoss, isSaturation } from '../../apps/api/src/common/saturation.js';

/** `Sql`, the hot path's SQL on the pool Prisma's adapter uses: transactions, bounded waits, dropped connections. */
describe('Sql on the shared pool', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let sql: Sql;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ prisma, sql, close } = await testClients(db, { size: 2, waitMs: 5_000 }));
    await db.query('CREATE TABLE sql_spec (n int)');
  });
  afterAll(async () => {
    await close();
    await db.drop();
  });

  const terminateOthers = () =>
    db.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [db.name],
    );

  it('commits what the work wrote when it resolves, and nothing when it throws', async () => {
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO sql_spec (n) VALUES ($1)', [1]);
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO sql_spec (n) VALUES ($1)', [2]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await sql.query<{ n: number }>('SELECT n FROM sql_spec ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('runs the opening statements with BEGIN, in the transaction, and hands their rows to the work', async () => {
    const opening = () => [
      inlined('INSERT INTO sql_spec (n) VALUES ($1)', [10]),
      inlined('SELECT $1::text AS text, count(*)::int AS rows FROM sql_spec', ["it's; -- not a comment"]),
    ];
    const error = await sql
      .transaction(
        async (tx, [inserted, [read]]) => {
          expect(inserted).toEqual([]);
          expect(read).toEqual({ text: "it's; -- not a comment", rows: 2 });
          expect(await tx.query('SELECT n FROM sql_spec ORDER BY n')).toEqual([{ n: 1 }, { n: 10 }]);
          throw new Error('changed my mind');
        },
        { opening },
      )
      .catch((caught: unknown) => caught);
    expect(String(error)).toMatch('changed my mind');
    // Rolled back with the work: the opening statements were in its transaction.
    expect(await sql.query<{ n: number }>('SELECT n FROM sql_spec ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('sends the statements held by withNext in front of the next one, and with COMMIT, in one round trip each', async () => {
    await db.query('CREATE TABLE sql_spec_held (n int, t text)');
    const calls = vi.spyOn(pg.Client.prototype, 'query');
    const tricky = "it's \\ a \\' test; -- ñ \u{1F600}";
    try {
      await sql.transaction(async (tx) => {
        tx.withNext!('INSERT INTO sql_spec_held (n, t) VALUES ($1, $2)', [1, tricky]);
        tx.withNext!('INSERT INTO sql_spec_held (n, t) VALUES ($1::int + $2, $3)', [1, 1n, null]);
        // The next statement sees them: they ran first, in the same round trip.
        expect(await tx.query('SELECT count(*)::int AS n FROM sql_spec_held')).toEqual([{ n: 2 }]);
        tx.withNext!('INSERT INTO sql_spec_held (n, t) VALUES ($1, $2)', [3, 'with a parameterized next']);
        expect(await tx.query('SELECT t FROM sql_spec_held WHERE n = $1', [3])).toEqual([
          { t: 'with a parameterized next' },
        ]);
        tx.withNext!('INSERT INTO sql_spec_held (n, t) VALUES ($1, $2)', [4, 'with COMMIT']);
      });
      const texts = calls.mock.calls.map(([query]) =>
        typeof query === 'string' ? query : String((query as { text: string }).text),
      );
      expect(texts.filter((text) => text.includes('sql_spec_held'))).toHaveLength(4);
      expect(texts.at(-1)).toMatch(/^INSERT INTO sql_spec_held .*'with COMMIT'\);\nCOMMIT$/s);
    } finally {
      calls.mockRestore();
    }
    expect(await sql.query('SELECT n, t FROM sql_spec_held ORDER BY n')).toEqual([
      { n: 1, t: tricky },
      { n: 2, t: null },
      { n: 3, t: 'with a parameterized next' },
      { n: 4, t: 'with COMMIT' },
    ]);
    // A held statement that fails fails the commit, and the whole transaction is rolled back.
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO sql_spec_held (n) VALUES (5)');
        tx.withNext!('INSERT INTO sql_spec_held (n) VALUES ($1)', ['not a number']);
      }),
    ).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await sql.query('SELECT count(*)::int AS n FROM sql_spec_held')).toEqual([{ n: 4 }]);
    expect(() => inlined('SELECT $1, $2', [1])).toThrow('no value for $2');
    expect(() => inlined('SELECT $1', [new Date()])).toThrow(/convert it to a string first/);
  });

  it('parses a prepared statement once per connection, on the pool and in a transaction', async () => {
    const statement = prepared('sql_spec_count', 'SELECT count(*)::int AS n FROM sql_spec WHERE n >= $1');
    for (let round = 0; round < 3; round += 1) {
      expect(await sql.query(statement, [0])).toEqual([{ n: 1 }]);
      expect(await sql.transaction((tx) => tx.query(statement, [2]))).toEqual([{ n: 0 }]);
    }
    // The connection holds it under its name: pg sends its text once per connection, and a second parse under the
    // same name would have failed the rounds above.
    const held = await sql.transaction((tx) =>
      tx.query<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE name = 'sql_spec_count'",
      ),
    );
    expect(held).toEqual([{ statement: statement.text }]);
    // One name, two texts: refused where it is declared, not on a connection that prepared the first.
    expect(() => prepared('sql_spec_count', 'SELECT 1')).toThrow('declared twice');
    expect(prepared('sql_spec_count', statement.text)).toEqual(statement);
  });

  it('fails as a saturation, before running anything, when no connection is free within the wait', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holders = [1, 2].map(() => sql.transaction(() => held));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let ran = false;
    const started = performance.now();
    const error = await sql
      .transaction(
        async () => {
          ran = true;
        },
        { maxWaitMs: 150 },
      )
      .catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(isSaturation(error)).toBe(true);
    expect(ran).toBe(false);
    release();
    await Promise.all(holders);
    // The connection that came late went back to the pool: both are usable.
    await Promise.all([1, 2].map(() => sql.transaction((tx) => tx.query('SELECT 1'))));
  });

  it('survives a connection dropped between two statements of a transaction, and the pool goes on', async () => {
    const error = await sql
      .transaction(async (tx) => {
        await tx.query('INSERT INTO sql_spec (n) VALUES (3)');
        await terminateOthers();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.query('SELECT 1');
      })
      .catch((caught: unknown) => caught);
    expect(isConnectionLoss(error)).toBe(true);
    expect(await sql.query<{ n: number }>('SELECT n FROM sql_spec ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('keeps the process alive when a connection checked out without a listener is dropped', async () => {
    // As Prisma's adapter or pg's pool.query leave one between two uses: no 'error' listener of their own.
    const client = await prisma.connections().connect();
    await terminateOthers();
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.release(true);
    expect(await sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
