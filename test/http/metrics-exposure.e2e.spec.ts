import { describe, expect, it } from 'vitest';
import { freePort } from '#libs/testing';
import { billingWorld, call } from '../billing/billing-harness.js';

describe('/metrics exposure', () => {
  const world = billingWorld();

  it('serves metrics only on the management listener when METRICS_PORT is set, and 404 on the API port', async () => {
    const port = await freePort();
    const { url } = await world.gateway({}, { METRICS_PORT: String(port) });
    const onApi = await call(url, 'GET', '/metrics', { key: null });
    expect(onApi.status).toBe(404);
    expect(onApi.json.message).toContain('METRICS_PORT');
    const managed = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(managed.status).toBe(200);
    expect(await managed.text()).toContain('arca_http_request_duration_seconds');
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(404);
  });

  it('asks the management listener for METRICS_TOKEN too when both are set', async () => {
    const port = await freePort();
    await world.gateway({}, { METRICS_PORT: String(port), METRICS_TOKEN: 'management-token-1234' });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: 'Bearer management-token-1234' },
    });
    expect(scraped.status).toBe(200);
  });
});
