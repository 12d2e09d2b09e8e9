import { describe, expect, it } from 'vitest';
import { billingWorld, call, createKey, CUIT } from '../billing/billing-harness.js';

describe('refused requests are rate limited per client address', () => {
  const world = billingWorld();

  it('answers 429 with Retry-After past the limit, for 401s and scope 403s alike, while valid keys go on', async () => {
    const { url } = await world.gateway({}, { REFUSAL_LIMIT_PER_MINUTE: '5', RATE_LIMIT_PER_MINUTE: '0' });
    const pos = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await call(url, 'GET', '/v1/tickets', { key: `arca_${'y'.repeat(43)}` })).status);
    }
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const path = `/v1/invoices/last-authorized?cuit=30712345678&ptoVta=1&cbteTipo=6`;
      statuses.push((await call(url, 'GET', path, { key: pos.key })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 403, 403]);
    const limited = await call(url, 'GET', '/v1/tickets', { key: null });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The reason of a refusal is no longer told, nor audited, to an address over its limit.
    const hidden = await call(
      url,
      'GET',
      `/v1/invoices/last-authorized?cuit=30712345678&ptoVta=1&cbteTipo=6`,
      {
        key: pos.key,
      },
    );
    expect(hidden.status).toBe(429);
    expect(hidden.text).not.toContain('30712345678');
    // A valid key in its scope, from the same address, is served.
    const own = await call(url, 'GET', `/v1/invoices/last-authorized?cuit=${CUIT}&ptoVta=1&cbteTipo=6`, {
      key: pos.key,
    });
    expect(own.status, own.text).toBe(200);
    const audited = await world.db.query(
      "SELECT count(*)::int AS n FROM audit_entry WHERE kind = 'access.refused'",
    );
    expect(audited.rows[0].n).toBe(2);
  });
});
