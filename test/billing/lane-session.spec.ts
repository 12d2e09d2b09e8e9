import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testClients } from '#libs/testing';
import { AuditEntryRepository } from '../../apps/api/src/audit/audit-entry.repository.js';
import { NumberingLaneRepository } from '../../apps/api/src/billing/lanes/numbering-lane.repository.js';

/** A lane's row is read with its lock, in BEGIN's round trip; the session answers from it only while it is fresh. */
describe("a lane session's first state", () => {
  let db: TestDatabase;
  let close: () => Promise<void>;
  let lanes: NumberingLaneRepository;
  const key = { environment: 'sandbox', cuit: 20123456789, ptoVta: 3, cbteTipo: 6 };
  const insertLane = (last: number) =>
    `INSERT INTO numbering_lane (environment, cuit, pto_vta, cbte_tipo, last_number, synced, updated_at)
     VALUES ('sandbox', 20123456789, 3, 6, ${last}, true, now())
     ON CONFLICT (environment, cuit, pto_vta, cbte_tipo) DO UPDATE SET last_number = EXCLUDED.last_number`;

  beforeAll(async () => {
    db = await createTestDatabase();
    let prisma, sql;
    ({ prisma, sql, close } = await testClients(db));
    lanes = new NumberingLaneRepository(prisma, sql, new AuditEntryRepository());
  });
  afterAll(async () => {
    await close();
    await db.drop();
  });

  it('answers what was read with the lock, and reads again once anything else ran in the transaction', async () => {
    expect(await lanes.withLane(key, 1_000, (session) => session.state())).toBeUndefined();
    const seen = await lanes.withLane(key, 1_000, async (session) => {
      await session.client.query(insertLane(41));
      const first = await session.state();
      await session.client.query(insertLane(42));
      return [first?.lastNumber, (await session.state())?.lastNumber];
    });
    expect(seen).toEqual([41, 42]);
    const read = await lanes.withLane(key, 1_000, (session) => session.state());
    expect(read).toMatchObject({ lastNumber: 42, synced: true, inDoubt: false });
  });
});
