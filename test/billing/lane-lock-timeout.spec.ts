import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaService, Sql } from '#libs/database';
import { createTestDatabase, type TestDatabase, testClients } from '#libs/testing';
import { AuditEntryRepository } from '../../apps/api/src/audit/audit-entry.repository.js';
import { NumberingLaneRepository } from '../../apps/api/src/billing/lanes/numbering-lane.repository.js';

/**
 * A queued request may reach its lane with a few milliseconds of its deadline left: only the wait for the lane's
 * own lock is that short. The rest of the lane's transaction (storing ARCA's answer: the audit chain's lock, held
 * by every writer for one commit) waits as long as it takes.
 */
describe("a lane's lock timeout", () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let sql: Sql;
  let close: () => Promise<void>;
  let lanes: NumberingLaneRepository;
  const key = { environment: 'sandbox', cuit: 20123456789, ptoVta: 1, cbteTipo: 6 };

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ prisma, sql, close } = await testClients(db));
    lanes = new NumberingLaneRepository(prisma, sql, new AuditEntryRepository());
  });
  afterAll(async () => {
    await close();
    await db.drop();
  });

  it("covers the lane's lock only, not the locks taken after it", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    // Another writer holds the audit chain's lock for 300 ms.
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM pg_advisory_xact_lock($1::bigint)', [7_302_413_101]);
    const released = new Promise((resolve) => setTimeout(resolve, 300)).then(() => holder.query('COMMIT'));
    const stored = await lanes.withLane(key, 50, async (session) => {
      await session.client.query('SELECT 1 FROM pg_advisory_xact_lock($1::bigint)', [7_302_413_101]);
      return 'stored';
    });
    expect(stored).toBe('stored');
    await released;
    await holder.end();
  });

  it("still refuses, within the request's wait, a lane another holder keeps", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      'lane:sandbox:20123456789:1:6',
    ]);
    const started = performance.now();
    await expect(lanes.withLane(key, 100, async () => 'ran')).rejects.toThrow(/lock timeout/);
    expect(performance.now() - started).toBeLessThan(2_000);
    await holder.query('COMMIT');
    await holder.end();
  });
});
