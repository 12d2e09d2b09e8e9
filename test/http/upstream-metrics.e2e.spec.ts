import { describe, expect, it } from 'vitest';
import { billingWorld, call, CUIT, facturaB, postInvoice } from '../billing/billing-harness.js';
import { find, parsePrometheusText } from '../support/prometheus-text.js';

describe("/metrics shows how ARCA is doing: calls, codes, logins, tickets, the breaker, the lanes' queues", () => {
  const world = billingWorld();

  it('carries each series with its labels and counts after sales, a rejection, a fault and a login', async () => {
    const { url } = await world.gateway({ breakerThreshold: 1, retryAttempts: 0, breakerHalfOpenMs: 60_000 });
    const scrape = async () => parsePrometheusText((await call(url, 'GET', '/metrics', { key: null })).text);

    for (let sale = 0; sale < 3; sale += 1) {
      expect((await postInvoice(url, facturaB({}, 31))).status).toBe(201);
    }
    // Rejected by ARCA (an unregistered receiver: Obs 10015, voucher R) and a call refused with an Err (10016,
    // a number ARCA does not expect, sent straight to the sandbox's lane by seeding it ahead).
    const rejected = await postInvoice(
      url,
      facturaB({ DocTipo: 80, DocNro: 30600000000, CondicionIVAReceptorId: 5 }, 32),
    );
    expect(rejected.status, rejected.text).toBe(422);
    world.sandbox.store.seed(CUIT, 31, 6, 10);
    expect((await postInvoice(url, facturaB({}, 31))).status).toBe(201);

    const after = await scrape();
    const duration = (labels: Record<string, string>) =>
      find(after, 'arca_upstream_request_duration_seconds_count', labels).reduce(
        (sum, s) => sum + s.value,
        0,
      );
    expect(duration({ service: 'wsaa', operation: 'loginCms', outcome: 'ok' })).toBe(1);
    expect(duration({ service: 'wsfe', operation: 'FECAESolicitar', outcome: 'ok' })).toBeGreaterThanOrEqual(
      4,
    );
    expect(duration({ service: 'wsfe', operation: 'FECAESolicitar', outcome: 'rejected' })).toBe(1);
    expect(
      duration({ service: 'wsfe', operation: 'FECompUltimoAutorizado', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      find(after, 'arca_upstream_codes_total', {
        service: 'wsfe',
        operation: 'FECAESolicitar',
        kind: 'observation',
        code: '10015',
      })[0]?.value,
    ).toBe(1);
    expect(
      find(after, 'arca_upstream_codes_total', {
        service: 'wsfe',
        operation: 'FECAESolicitar',
        kind: 'error',
        code: '10016',
      })[0]?.value,
    ).toBe(1);
    expect(
      find(after, 'arca_wsaa_logins_total', { cuit: String(CUIT), service: 'wsfe', outcome: 'ok' })[0]?.value,
    ).toBe(1);
    const expiry = find(after, 'arca_ticket_expiry_timestamp_seconds', {
      cuit: String(CUIT),
      service: 'wsfe',
    })[0];
    expect(expiry!.value * 1000).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    expect(find(after, 'arca_circuit_state', { service: 'wsfe' })[0]?.value).toBe(0);
    expect(find(after, 'arca_lane_queue_depth')).toEqual([]);
    expect(find(after, 'arca_batch_size_count')[0]?.value).toBeGreaterThanOrEqual(5);
    expect(find(after, 'arca_db_pool_connections', { state: 'size' })[0]?.value).toBe(10);
    expect(find(after, 'arca_db_pool_connections', { state: 'waiting' })[0]?.value).toBe(0);
    expect(find(after, 'arca_db_lanes_pool_connections', { state: 'size' })[0]?.value).toBe(10);
    expect(find(after, 'arca_db_lanes_pool_connections', { state: 'waiting' })[0]?.value).toBe(0);
    const ready = await call(url, 'GET', '/health/ready', { key: null });
    expect(ready.json.info).toMatchObject({
      database: { status: 'up', pool: { size: 10, waiting: 0 }, lanesPool: { size: 10, waiting: 0 } },
      lanes: { status: 'up', queued: 0, deepest: null },
      heap: { status: 'up' },
    });
    expect(find(after, 'arca_heap_used_ratio')[0]?.value).toBeGreaterThan(0);

    // A fault: HTTP 500 on the next call opens the breaker (threshold 1).
    world.fault('FECompUltimoAutorizado', 'http500');
    world.sandbox.store.seed(CUIT, 33, 6, 0);
    const failed = await postInvoice(url, facturaB({}, 33));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const broken = await scrape();
    expect(
      find(broken, 'arca_upstream_request_duration_seconds_count', {
        service: 'wsfe',
        operation: 'FECompUltimoAutorizado',
        outcome: 'fault',
      })[0]?.value,
    ).toBe(1);
    expect(find(broken, 'arca_circuit_state', { service: 'wsfe' })[0]?.value).toBe(2);
    expect(find(broken, 'arca_circuit_opened_total', { service: 'wsfe' })[0]?.value).toBe(1);
  });
});
