import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { billingWorld, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('numbering lanes across replicas', () => {
  const world = billingWorld();

  it('authorizes 200 concurrent invoices of one lane through two gateways with 200 consecutive numbers and no 10016', async () => {
    const [one, two] = await Promise.all([world.gateway(), world.gateway()]);
    const before = world.sandbox.store.lastNumber(CUIT, 1, 6);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => postInvoice(index % 2 ? one.url : two.url, facturaB())),
    );
    const failures = answers.filter((answer) => answer.status !== 201);
    expect(failures.map((answer) => answer.json)).toEqual([]);
    const numbers = answers
      .map((answer) => answer.json.invoices[0].cbteDesde as number)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, index) => before + 1 + index));
    expect(new Set(answers.map((answer) => answer.json.invoices[0].cae)).size).toBe(200);
    expect(world.sandboxLog.filter((line) => /FECAESolicitar -> .*Err .*10016/.test(line))).toEqual([]);
    const rows = await world.db.query(
      `SELECT count(*)::int AS n FROM invoice WHERE cuit = $1 AND pto_vta = 1 AND cbte_tipo = 6 AND resultado = 'A'`,
      [CUIT],
    );
    expect(rows.rows[0].n).toBe(200);
  });

  it('holds one lane without holding another: a busy point of sale does not delay a different one', async () => {
    const { url } = await world.gateway();
    await Promise.all([postInvoice(url, facturaB({}, 2)), postInvoice(url, facturaB({}, 3))]);
    // Another replica holding the lane of point of sale 2 (same lock key the gateway takes).
    const holder = new pg.Client({ connectionString: world.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `lane:sandbox:${CUIT}:2:6`,
      ]);
      let waitingDone = false;
      const waiting = postInvoice(url, facturaB({}, 2)).then((answer) => {
        waitingDone = true;
        return answer;
      });
      const other = await postInvoice(url, facturaB({}, 3));
      expect(other.status).toBe(201);
      expect(waitingDone).toBe(false);
      await holder.query('COMMIT');
      const released = await waiting;
      expect(released.status, JSON.stringify(released.json)).toBe(201);
      expect(released.json.invoices[0].cbteDesde).toBe(world.sandbox.store.lastNumber(CUIT, 2, 6));
    } finally {
      await holder.end();
    }
  });
});
