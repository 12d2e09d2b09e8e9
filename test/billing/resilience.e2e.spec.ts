import { describe, expect, it } from 'vitest';
import { billingWorld, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('ARCA failing: safe retries and the circuit breaker', () => {
  const world = billingWorld();

  it('retries HTTP 503 three times and then gets exactly one invoice', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB()); // lane, ticket and tables ready
    const before = world.sandbox.store.lastNumber(CUIT, 1, 6);
    const sent = world.calls('FECAESolicitar');
    world.fault('FECAESolicitar', 'http503', { count: 3 });
    const { status, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.invoices[0].cbteDesde).toBe(before + 1);
    expect(world.sandbox.store.lastNumber(CUIT, 1, 6)).toBe(before + 1);
    expect(
      world.sandboxLog.filter((line) => line.startsWith('wsfe FECAESolicitar fault injected: HTTP 503')),
    ).toHaveLength(3);
    expect(world.calls('FECAESolicitar') - sent).toBe(1);
  });

  it("after a 500 (it may have been processed) asks ARCA's last number first, then resends under the same number: one voucher", async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB());
    const before = world.sandbox.store.lastNumber(CUIT, 1, 6);
    const sentBefore = world.calls('FECAESolicitar');
    const consultsBefore = world.calls('FECompConsultar');
    const lastBefore = world.calls('FECompUltimoAutorizado');
    world.fault('FECAESolicitar', 'http500');
    const { status, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.invoices[0].cbteDesde).toBe(before + 1);
    expect(world.sandbox.store.lastNumber(CUIT, 1, 6)).toBe(before + 1);
    // The 500 (not processed), ARCA's last number (before this one: nothing to look up), the resend (processed).
    expect(world.calls('FECompUltimoAutorizado')).toBe(lastBefore + 1);
    expect(world.calls('FECompConsultar')).toBe(consultsBefore);
    expect(world.calls('FECAESolicitar')).toBe(sentBefore + 1);
    const journal = await world.db.query(
      "SELECT r.state, e.payload->>'reconciled' AS reconciled FROM invoice_request r JOIN audit_entry e ON e.subject = 'invoice_request/' || r.id WHERE e.kind = 'invoice.answered' AND r.cbte_desde = $1 AND r.pto_vta = 1",
      [before + 1],
    );
    expect(journal.rows).toEqual([{ state: 'AUTHORIZED', reconciled: 'resent' }]);
  });

  it('takes an answer cut in half after ARCA authorized as lost, and recovers the voucher from its record: one voucher', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB({}, 5));
    const before = world.sandbox.store.lastNumber(CUIT, 5, 6);
    world.fault('FECAESolicitar', 'authorize-then-garble');
    const { status, json } = await postInvoice(url, facturaB({}, 5), { 'idempotency-key': 'sale-garbled-1' });
    // ARCA processed the call: the sale gets that voucher, looked up, and nothing is sent under another number.
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json).toMatchObject({ recoveredWith: 'FECompConsultar', invoices: [{ cbteDesde: before + 1 }] });
    expect(json.invoices[0].cae).toBe(world.sandbox.store.find(CUIT, 5, 6, before + 1)?.codAutorizacion);
    const retried = await postInvoice(url, facturaB({}, 5), { 'idempotency-key': 'sale-garbled-1' });
    expect(retried.json.invoices[0].cae).toBe(json.invoices[0].cae);
    expect(world.sandbox.store.lastNumber(CUIT, 5, 6)).toBe(before + 1);
  });

  it('settles a call retried after a 503 that ARCA had processed from its record, without renumbering it: one voucher', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB({}, 6));
    const before = world.sandbox.store.lastNumber(CUIT, 6, 6);
    // Processed, then a 503 (a proxy's): the gateway retries the same call, and ARCA refuses its numbers (10016).
    world.fault('FECAESolicitar', 'authorize-then-503');
    const { status, json } = await postInvoice(url, facturaB({}, 6));
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json).toMatchObject({ recoveredWith: 'FECompConsultar', invoices: [{ cbteDesde: before + 1 }] });
    expect(json.invoices[0].cae).toBe(world.sandbox.store.find(CUIT, 6, 6, before + 1)?.codAutorizacion);
    expect(world.sandbox.store.lastNumber(CUIT, 6, 6)).toBe(before + 1);
    expect(world.sandboxLog.some((line) => line.includes('Err 10016'))).toBe(true);
  });

  it("settles a call whose every try ended in a 503, the first processed, from ARCA's record: one voucher", async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB({}, 7));
    const before = world.sandbox.store.lastNumber(CUIT, 7, 6);
    // Every try processed (the first authorized, the retries refused for its numbers), each answered 503.
    world.fault('FECAESolicitar', 'authorize-then-503', { count: 10 });
    const { status, json } = await postInvoice(url, facturaB({}, 7), { 'idempotency-key': 'sale-503-all' });
    world.sandbox.faults.clear();
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json).toMatchObject({ recoveredWith: 'FECompConsultar', invoices: [{ cbteDesde: before + 1 }] });
    const retried = await postInvoice(url, facturaB({}, 7), { 'idempotency-key': 'sale-503-all' });
    expect(retried.json.invoices[0].cae).toBe(json.invoices[0].cae);
    expect(world.sandbox.store.lastNumber(CUIT, 7, 6)).toBe(before + 1);
  });

  it('answers 504 while ARCA cannot be asked, blocks the lane, and settles it once ARCA answers', async () => {
    const { url } = await world.gateway({ retryAttempts: 0, breakerThreshold: 100 });
    await postInvoice(url, facturaB({}, 4));
    const before = world.sandbox.store.lastNumber(CUIT, 4, 6);
    world.fault('FECAESolicitar', 'authorize-then-drop');
    world.fault('FECompConsultar', 'http503');
    const lost = await postInvoice(url, facturaB({}, 4), { 'idempotency-key': 'sale-blocked-1' });
    expect(lost.status, JSON.stringify(lost.json)).toBe(504);
    expect(world.sandbox.store.lastNumber(CUIT, 4, 6)).toBe(before + 1);
    // The lane's next sale settles the doubt first (ARCA answers now), then is numbered after it.
    const next = await postInvoice(url, facturaB({}, 4));
    expect(next.status, JSON.stringify(next.json)).toBe(201);
    expect(next.json.invoices[0].cbteDesde).toBe(before + 2);
    const retried = await postInvoice(url, facturaB({}, 4), { 'idempotency-key': 'sale-blocked-1' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.json).toMatchObject({
      recoveredWith: 'FECompConsultar',
      invoices: [{ cbteDesde: before + 1 }],
    });
  });

  it('opens the circuit after repeated failures and then answers 503 at once, without calling ARCA', async () => {
    const { url } = await world.gateway({ breakerThreshold: 3, breakerHalfOpenMs: 60_000, retryAttempts: 1 });
    await postInvoice(url, facturaB());
    world.sandbox.faults.add({ id: 'down', service: 'wsfe', kind: 'http503', probability: 1 });
    try {
      const first = await postInvoice(url, facturaB());
      expect(first.status).toBe(503);
      const second = await postInvoice(url, facturaB());
      expect(second.status).toBe(503);
      const reached = world.sandboxLog.length;
      const open = await postInvoice(url, facturaB());
      expect(open.status).toBe(503);
      expect(open.json.code).toBe('AFIP_UNREACHABLE');
      expect(open.json.message).toContain('not calling it');
      expect(open.headers.get('retry-after')).toBe('60');
      expect(world.sandboxLog.length).toBe(reached);
    } finally {
      world.sandbox.faults.clear();
    }
  });
});
