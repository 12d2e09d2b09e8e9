import { describe, expect, it } from 'vitest';
import { ReconcileJob } from '../../apps/api/src/billing/reconciliation/reconcile.job.js';
import { billingWorld, createKey, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('Idempotency-Key: a retried sale is never a second invoice', () => {
  const world = billingWorld();

  it('answers a finished request again, without calling ARCA, and says so', async () => {
    const { url } = await world.gateway();
    const first = await postInvoice(url, facturaB(), { 'idempotency-key': 'sale-1' });
    expect(first.status).toBe(201);
    const sent = world.calls('FECAESolicitar');
    const again = await postInvoice(url, facturaB(), { 'idempotency-key': 'sale-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.invoices).toEqual(first.json.invoices);
    expect(world.calls('FECAESolicitar')).toBe(sent);
  });

  it('refuses the same key with another body (409), and keeps keys apart per API key', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB(), { 'idempotency-key': 'sale-2' });
    const other = await postInvoice(url, facturaB({ DocNro: 30111222 }), { 'idempotency-key': 'sale-2' });
    expect(other.status).toBe(409);
    expect(other.json.details[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'idempotency' });
    const { key } = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] });
    const theirs = await postInvoice(url, facturaB(), {
      'idempotency-key': 'sale-2',
      authorization: `Bearer ${key}`,
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('replays a rejection too (422), without a second FECAESolicitar', async () => {
    const { url } = await world.gateway();
    const rejected = await postInvoice(url, facturaB({ MonId: 'DOL', MonCotiz: 1 }), {
      'idempotency-key': 'sale-3',
    });
    expect(rejected.status).toBe(422);
    const sent = world.calls('FECAESolicitar');
    const again = await postInvoice(url, facturaB({ MonId: 'DOL', MonCotiz: 1 }), {
      'idempotency-key': 'sale-3',
    });
    expect(again.status).toBe(422);
    expect(again.json.invoices).toEqual(rejected.json.invoices);
    expect(world.calls('FECAESolicitar')).toBe(sent);
  });

  it('makes a retry of a request still in flight wait for it and get its answer', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB({}, 5));
    world.fault('FECAESolicitar', 'latency', { latencyMs: 800 });
    const sent = world.calls('FECAESolicitar');
    const first = postInvoice(url, facturaB({}, 5), { 'idempotency-key': 'sale-4' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const retry = await postInvoice(url, facturaB({}, 5), { 'idempotency-key': 'sale-4' });
    const original = await first;
    expect(original.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json.invoices).toEqual(original.json.invoices);
    expect(world.calls('FECAESolicitar')).toBe(sent + 1);
  });

  it('makes one voucher of the same key sent five times at once among other sales (their rows share one INSERT)', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB({}, 8));
    const sent = world.calls('FECAESolicitar');
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => postInvoice(url, facturaB({}, 8), { 'idempotency-key': 'sale-7' })),
      ...Array.from({ length: 5 }, (_, index) =>
        postInvoice(url, facturaB({}, 8), { 'idempotency-key': `sale-7-other-${index}` }),
      ),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    const voucher = (answer: (typeof answers)[number]) =>
      `${answer.json.invoices[0].cbteDesde} ${answer.json.invoices[0].cae}`;
    // The first answer and four replays (or waits for it), all of one voucher; the other sales each their own.
    const same = new Set(answers.slice(0, 5).map(voucher));
    expect(same.size).toBe(1);
    expect(new Set([...same, ...answers.slice(5).map(voucher)]).size).toBe(6);
    const rows = await world.db.query(
      "SELECT count(*)::int AS rows FROM invoice_request WHERE idempotency_key LIKE 'sale-7%'",
    );
    expect(rows.rows).toEqual([{ rows: 6 }]);
    const vouchers = await world.db.query(
      "SELECT count(*)::int AS vouchers FROM invoice i JOIN invoice_request r ON r.id = i.request_id WHERE r.idempotency_key LIKE 'sale-7%'",
    );
    expect(vouchers.rows).toEqual([{ vouchers: 6 }]);
    expect(world.calls('FECAESolicitar')).toBeGreaterThan(sent);
  });

  it('runs again a request that failed before reaching ARCA', async () => {
    const { url } = await world.gateway({ retryAttempts: 0 });
    world.fault('FECAESolicitar', 'http503');
    const failed = await postInvoice(url, facturaB({}, 6), { 'idempotency-key': 'sale-5' });
    expect(failed.status).toBe(503);
    expect(failed.json.code).toBe('AFIP_UNREACHABLE');
    const retried = await postInvoice(url, facturaB({}, 6), { 'idempotency-key': 'sale-5' });
    expect(retried.status, JSON.stringify(retried.json)).toBe(201);
    const rows = await world.db.query(
      "SELECT state, attempts FROM invoice_request WHERE idempotency_key = 'sale-5'",
    );
    expect(rows.rows).toEqual([{ state: 'AUTHORIZED', attempts: 2 }]);
  });

  it('settles a voucher left in doubt from the periodic pass, and the retry gets the CAE', async () => {
    const { app, url } = await world.gateway({ retryAttempts: 0, breakerThreshold: 100 });
    world.fault('FECAESolicitar', 'authorize-then-drop');
    world.fault('FECompConsultar', 'http503');
    const lost = await postInvoice(url, facturaB({}, 7), { 'idempotency-key': 'sale-6' });
    expect(lost.status).toBe(504);
    const unknown = await world.db.query(
      "SELECT state FROM invoice_request WHERE idempotency_key = 'sale-6'",
    );
    expect(unknown.rows).toEqual([{ state: 'UNKNOWN' }]);
    expect(await app.get(ReconcileJob).sweep()).toBeGreaterThanOrEqual(1);
    const settled = await world.db.query(
      "SELECT r.state, i.cae FROM invoice_request r JOIN invoice i ON i.request_id = r.id WHERE r.idempotency_key = 'sale-6'",
    );
    expect(settled.rows).toHaveLength(1);
    expect(settled.rows[0]).toMatchObject({ state: 'AUTHORIZED' });
    const retried = await postInvoice(url, facturaB({}, 7), { 'idempotency-key': 'sale-6' });
    expect(retried.status).toBe(201);
    expect(retried.json.invoices[0].cae).toBe(settled.rows[0].cae);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/arca_reconciliations_total\{result="authorized"\} [1-9]/);
  });
});
