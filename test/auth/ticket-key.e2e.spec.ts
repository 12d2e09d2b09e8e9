import { describe, expect, it } from 'vitest';
import { billingWorld, facturaB, postInvoice } from '../billing/billing-harness.js';

describe('replicas with different TICKET_ENCRYPTION_KEY', () => {
  const world = billingWorld();

  it("answers 503 naming the key, not 500, when the stored ticket was sealed with another replica's key", async () => {
    const first = await world.gateway({}, { TICKET_ENCRYPTION_KEY: 'a'.repeat(64) });
    const second = await world.gateway({}, { TICKET_ENCRYPTION_KEY: 'b'.repeat(64) });
    expect((await postInvoice(first.url, facturaB({}, 1))).status).toBe(201);
    const refused = await postInvoice(second.url, facturaB({}, 1));
    expect(refused.status, refused.text).toBe(503);
    expect(refused.json).toMatchObject({ code: 'MISCONFIGURED' });
    expect(refused.json.message).toMatch(/TICKET_ENCRYPTION_KEY; every replica must share one/);
  });
});
