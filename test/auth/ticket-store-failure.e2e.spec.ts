import { describe, expect, it, vi } from 'vitest';
import { ticketGateway, ticketWorld } from './ticket-harness.js';

const CUIT = '20444444445';
const LOCK_LOST_CUIT = '20555555556';

describe('WSAA tickets: a ticket WSAA issued, when the database fails around it', () => {
  // ARCA's window as in production: a ticket lost here would stop the CUIT's sales for two minutes.
  const world = ticketWorld(120_000);

  it('is served from memory at once and stored later, with one login and one audit entry', async () => {
    const gateway = await ticketGateway(world.db, world.sandbox, world.dataDir, { storeRetryMs: 100 });
    try {
      // Once the gateway has migrated the database: the store's first write fails as a dropped connection would
      // (a sequence is not rolled back with the write).
      await world.db.query(`
      CREATE SEQUENCE ticket_store_attempts;
      CREATE FUNCTION fail_first_ticket_store() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('ticket_store_attempts') = 1 THEN RAISE EXCEPTION 'simulated: connection dropped'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_first_ticket_store BEFORE INSERT OR UPDATE ON access_ticket
        FOR EACH ROW EXECUTE FUNCTION fail_first_ticket_store();`);
      const ticket = await gateway.tickets.get(CUIT);
      expect((await gateway.tickets.get(CUIT)).token).toBe(ticket.token);
      await vi.waitFor(
        async () => {
          const stored = await world.db.query<{ unique_id: string }>(
            'SELECT unique_id FROM access_ticket WHERE cuit = $1',
            [CUIT],
          );
          expect(stored.rows[0]?.unique_id).toBe(String(ticket.uniqueId));
        },
        { timeout: 5_000, interval: 100 },
      );
      const issued = await world.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM audit_entry WHERE kind = 'ticket.issued' AND subject = $1`,
        [`ticket/sandbox/${CUIT}/wsfe`],
      );
      expect(issued.rows[0]?.n).toBe('1');
      expect(world.loginsFor(CUIT)).toBe(1);
    } finally {
      await gateway.app.close();
    }
  });

  it("serves the ticket WSAA issued when the login lock's transaction is lost before its commit", async () => {
    const gateway = await ticketGateway(world.db, world.sandbox, world.dataDir, { storeRetryMs: 100 });
    try {
      world.sandbox.faults.add({
        id: 'slow-login',
        service: 'wsaa',
        operation: 'loginCms',
        kind: 'latency',
        latencyMs: 1_500,
        probability: 1,
        count: 1,
      });
      const pending = gateway.tickets.get(LOCK_LOST_CUIT);
      // While WSAA takes its time, the connection holding the login lock is dropped: the login goes on, and the
      // lock's transaction fails when it commits.
      await vi.waitFor(
        async () => {
          const dropped = await world.db.query(
            `SELECT pg_terminate_backend(pid) FROM pg_locks
             WHERE locktype = 'advisory' AND granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          );
          expect(dropped.rowCount).toBe(1);
        },
        { timeout: 1_000, interval: 20 },
      );
      const ticket = await pending;
      expect((await gateway.tickets.get(LOCK_LOST_CUIT)).token).toBe(ticket.token);
      const stored = await world.db.query<{ unique_id: string }>(
        'SELECT unique_id FROM access_ticket WHERE cuit = $1',
        [LOCK_LOST_CUIT],
      );
      expect(stored.rows[0]?.unique_id).toBe(String(ticket.uniqueId));
      expect(world.loginsFor(LOCK_LOST_CUIT)).toBe(1);
    } finally {
      await gateway.app.close();
    }
  });
});
