import { describe, expect, it } from 'vitest';
import { billingWorld, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('ARCA failing: safe retries and the circuit breaker', () => {
  const world = billingWorld();

  it('retries HTTP 503 three times and then gets exactly one invoice', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB()); // lane, ticket and tables ready
    const before = world.sandbox.store.lastNumber(CUIT, 1, 6);
    const sent = world.calls('FECAESolicitar');
    world.sandbox.faults.add({
      id: 'busy',
      service: 'wsfe',
      operation: 'FECAESolicitar',
      kind: 'http503',
      probability: 1,
      count: 3,
    });
    const { status, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(201);
    expect(json.invoices[0].cbteDesde).toBe(before + 1);
    expect(world.sandbox.store.lastNumber(CUIT, 1, 6)).toBe(before + 1);
    expect(
      world.sandboxLog.filter((line) => line.startsWith('wsfe FECAESolicitar fault injected: HTTP 503')),
    ).toHaveLength(3);
    expect(world.calls('FECAESolicitar') - sent).toBe(1);
  });

  it('does not resend after a 500 (it may have been processed): 504 with Retry-After, and no number is lost', async () => {
    const { url } = await world.gateway();
    await postInvoice(url, facturaB());
    const before = world.sandbox.store.lastNumber(CUIT, 1, 6);
    world.sandbox.faults.add({
      id: 'err',
      service: 'wsfe',
      operation: 'FECAESolicitar',
      kind: 'http500',
      probability: 1,
      count: 1,
    });
    const { status, headers, json } = await postInvoice(url, facturaB());
    expect(status, JSON.stringify(json)).toBe(504);
    expect(json.code).toBe('AFIP_TIMEOUT');
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(world.sandbox.store.lastNumber(CUIT, 1, 6)).toBe(before);
    const next = await postInvoice(url, facturaB());
    expect(next.status).toBe(201);
    expect(next.json.invoices[0].cbteDesde).toBe(before + 1);
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
