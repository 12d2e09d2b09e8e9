import { describe, expect, it } from 'vitest';
import { billingWorld, call, createKey, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('a saturated gateway answers 503 with Retry-After, never 500, and sends nothing it does not answer', () => {
  const world = billingWorld();

  it('keeps every answer a 201 or a 503 with one database connection for lanes and a slow ARCA', async () => {
    // 3 connections a pool, so 1 lane slot; queries wait at most 300 ms for a connection, sales 800 ms. (Not
    // less: the wait covers opening a connection too, and the gateway's start-up failed at 100 ms on a loaded machine.)
    const { url } = await world.gateway(
      { laneWaitMs: 800 },
      { DATABASE_POOL_SIZE: '3', DATABASE_POOL_WAIT_MS: '300' },
    );
    expect((await postInvoice(url, facturaB({}, 51))).status).toBe(201); // ticket and tables first
    world.fault('FECAESolicitar', 'latency', { latencyMs: 300, count: 1000 });
    const before = world.sandbox.store.all().length;
    const sales = Array.from({ length: 60 }, (_, index) =>
      postInvoice(url, facturaB({}, 51 + (index % 8)), { 'idempotency-key': `saturation-${index}` }),
    );
    const reads = Array.from({ length: 120 }, () => call(url, 'GET', '/v1/audit/invoices?limit=200'));
    const answers = await Promise.all([...sales, ...reads]);
    world.sandbox.faults.clear();
    const statuses = answers.map((answer) => answer.status);
    expect(
      statuses.filter((status) => status >= 500 && status !== 503),
      JSON.stringify(statuses),
    ).toEqual([]);
    const unavailable = answers.filter((answer) => answer.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const answer of unavailable) expect(answer.headers.get('retry-after'), answer.text).not.toBeNull();
    // Every voucher ARCA authorized was answered 201: a 503 sent nothing.
    const issued = (await Promise.all(sales)).filter((answer) => answer.status === 201).length;
    expect(world.sandbox.store.all().length - before).toBe(issued);
    // And each refused sale runs again with its key once the gateway has room.
    const retried = await Promise.all(
      (await Promise.all(sales))
        .map((answer, index) => ({ answer, index }))
        .filter(({ answer }) => answer.status === 503)
        .map(({ index }) =>
          postInvoice(url, facturaB({}, 51 + (index % 8)), { 'idempotency-key': `saturation-${index}` }),
        ),
    );
    expect(retried.filter((answer) => answer.status !== 201 && answer.status !== 503)).toEqual([]);
  });

  it('refuses a key past its sales in flight at once, while another key of the tenant still sells', async () => {
    const { url } = await world.gateway({}, { INFLIGHT_PER_KEY: '3' });
    const other = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [71] });
    expect((await postInvoice(url, facturaB({}, 70))).status).toBe(201);
    world.fault('FECAESolicitar', 'latency', { latencyMs: 400, count: 1000 });
    try {
      const noisy = Array.from({ length: 10 }, () => postInvoice(url, facturaB({}, 70)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const quiet = await call(url, 'POST', '/v1/invoices', { key: other.key, body: facturaB({}, 71) });
      const answers = await Promise.all(noisy);
      expect(quiet.status, quiet.text).toBe(201);
      const refused = answers.filter((answer) => answer.status === 503);
      expect(answers.filter((answer) => answer.status === 201).length).toBeGreaterThanOrEqual(3);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.json.message).toContain('INFLIGHT_PER_KEY');
      expect(refused[0]!.headers.get('retry-after')).toBe('1');
      expect(answers.every((answer) => answer.status === 201 || answer.status === 503)).toBe(true);
    } finally {
      world.sandbox.faults.clear();
    }
  });

  it("holds a CUIT's bulk sale past BULK_PER_CUIT before validation, and answers 503 when its turn does not come", async () => {
    const { url } = await world.gateway({}, { BULK_PER_CUIT: '1', BULK_WAIT_MS: '150' });
    expect((await postInvoice(url, facturaB({}, 80))).status).toBe(201);
    const bulk = (ptoVta: number) => {
      const body = facturaB({}, ptoVta);
      const detail = body.FeCAEReq.FeDetReq.FECAEDetRequest;
      return {
        ...body,
        FeCAEReq: {
          FeCabReq: { ...body.FeCAEReq.FeCabReq, CantReg: 11 },
          FeDetReq: { FECAEDetRequest: Array.from({ length: 11 }, () => detail) },
        },
      };
    };
    world.fault('FECAESolicitar', 'latency', { latencyMs: 600, count: 1000 });
    try {
      const calls = world.calls('FECAESolicitar');
      const first = postInvoice(url, bulk(81));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const [second, single] = await Promise.all([
        postInvoice(url, bulk(82)),
        postInvoice(url, facturaB({}, 83)),
      ]);
      expect(second.status, second.text).toBe(503);
      expect(second.json.message).toContain('BULK_WAIT_MS');
      expect(second.headers.get('retry-after')).toBe('2');
      expect(single.status, single.text).toBe(201);
      const answered = await first;
      expect(answered.status, answered.text).toBe(201);
      // The refused bulk sale sent nothing: one call for the first, one for the single sale.
      expect(world.calls('FECAESolicitar') - calls).toBe(2);
    } finally {
      world.sandbox.faults.clear();
    }
  });
});
