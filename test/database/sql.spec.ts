import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaService, Sql } from '#libs/database';
import { sqlLiteral } from '#libs/database';
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
      `INSERT INTO sql_spec (n) VALUES (${sqlLiteral(10)})`,
      `SELECT ${sqlLiteral("it's; -- not a comment")} AS text, count(*)::int AS rows FROM sql_spec`,
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
    expect(() => sqlLiteral(1.5)).toThrow(/not an integer/);
    expect(() => sqlLiteral(2 ** 60)).toThrow(/not an integer/);
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
