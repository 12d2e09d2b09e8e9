import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, billingWorld, call, createKey, CUIT, facturaB } from '../billing/billing-harness.js';
import { verifyWholeChain } from '../support/chain-verification.js';

describe('API keys: created once, stored as a hash, revoked at once, rate limited', () => {
  const world = billingWorld();
  const bySql = async (text: string, values: unknown[] = []): Promise<unknown[]> => {
    const client = new pg.Client({ connectionString: world.db.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  };

  it('shows the key only in the creation answer and stores only its SHA-256', async () => {
    const { url } = await world.gateway();
    const created = await call(url, 'POST', '/v1/api-keys', {
      body: { name: 'Sucursal Centro - caja 1', role: 'pos', cuits: [CUIT], ptoVtas: [1, 3] },
    });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^arca_[A-Za-z0-9_-]{43}$/);
    expect(created.json).toMatchObject({
      role: 'pos',
      cuits: [String(CUIT)],
      ptoVtas: [1, 3],
      revokedAt: null,
    });
    expect(created.json.key.startsWith(created.json.keyPrefix)).toBe(true);

    const listed = await call(url, 'GET', '/v1/api-keys');
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(created.json.key);
    expect(listed.text).not.toMatch(/keyHash|key_hash|"key"/);
    expect(listed.json.map((key: { id: string }) => key.id)).toContain(created.json.id);

    const client = new pg.Client({ connectionString: world.db.url });
    await client.connect();
    try {
      const rows = await client.query<{ row: string; key_hash: string }>(
        'SELECT row_to_json(api_key)::text AS row, key_hash FROM api_key WHERE id = $1',
        [created.json.id],
      );
      expect(rows.rows[0]!.row).not.toContain(created.json.key);
      const { createHash } = await import('node:crypto');
      expect(rows.rows[0]!.key_hash).toBe(createHash('sha256').update(created.json.key).digest('hex'));
      const audit = await client.query<{ kind: string; payload: unknown }>(
        "SELECT kind, payload FROM audit_entry WHERE subject = 'api_key/' || $1",
        [created.json.id],
      );
      expect(audit.rows.map((row) => row.kind)).toEqual(['api_key.created']);
      expect(JSON.stringify(audit.rows)).not.toContain(created.json.key);
    } finally {
      await client.end();
    }
  });

  it('refuses a scope that does not fit the role, naming the field', async () => {
    const { url } = await world.gateway();
    const cases: [unknown, string][] = [
      [{ name: 'x', role: 'pos', cuits: [CUIT] }, 'ptoVtas'],
      [{ name: 'x', role: 'pos', ptoVtas: [1] }, 'cuits'],
      [{ name: 'x', role: 'auditor', cuits: [CUIT], ptoVtas: [1] }, 'ptoVtas'],
      [{ name: 'x', role: 'admin', cuits: [CUIT] }, 'cuits'],
      [{ name: 'x', role: 'root' }, 'role'],
      [{ role: 'auditor', cuits: [CUIT] }, 'name'],
      [{ name: 'x', role: 'auditor', cuits: [123] }, 'cuits'],
      [{ name: 'x', role: 'pos', cuits: [CUIT], ptoVtas: ['1'] }, 'ptoVtas'],
    ];
    for (const [body, field] of cases) {
      const answer = await call(url, 'POST', '/v1/api-keys', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
  });

  it('stops a revoked key at once, on another replica too, and audits the revocation', async () => {
    const first = await world.gateway();
    const second = await world.gateway();
    const { id, key } = await createKey(first.url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] });
    const before = await call(second.url, 'POST', '/v1/invoices', { key, body: facturaB() });
    expect(before.status).toBe(201);

    const revoked = await call(first.url, 'DELETE', `/v1/api-keys/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).not.toBeNull();
    const after = await call(second.url, 'POST', '/v1/invoices', { key, body: facturaB() });
    expect(after.status).toBe(401);
    expect(after.json.message).toMatch(/was revoked/);
    const again = await call(first.url, 'DELETE', `/v1/api-keys/${id}`);
    expect(again.json.revokedAt).toBe(revoked.json.revokedAt);

    expect((await verifyWholeChain(first.url, ADMIN_KEY)).ok).toBe(true);
  });

  it('stops a key changed by hand in the database on every replica, though each keeps keys for ten minutes', async () => {
    const keep = { API_KEY_CACHE_MS: '600000' };
    const replicas = [await world.gateway({}, keep), await world.gateway({}, keep)];
    const { id, key } = await createKey(replicas[0]!.url, { role: 'auditor', cuits: [CUIT] });
    for (const { url } of replicas) expect((await call(url, 'GET', '/v1/me', { key })).status).toBe(200);

    await bySql(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [id]);
    for (const { url } of replicas) expect(await statusWithin(url, key, 401)).toBe(401);
  });

  it('forgets the keys it kept when it could not hear changes, and keeps keys again once it can', async () => {
    const { url } = await world.gateway({}, { API_KEY_CACHE_MS: '600000' });
    const first = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const second = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    expect((await call(url, 'GET', '/v1/me', { key: first.key })).status).toBe(200);
    const listening = `FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN api_key_changed'`;
    const listeners = (await bySql(`SELECT pid ${listening}`)).length;
    expect(listeners).toBeGreaterThan(0);
    const unheard = async (text: string, values: unknown[]) => {
      await bySql('ALTER TABLE api_key DISABLE TRIGGER api_key_changed');
      try {
        await bySql(text, values);
      } finally {
        await bySql('ALTER TABLE api_key ENABLE TRIGGER api_key_changed');
      }
    };

    // The LISTEN connections are cut and the key is revoked unannounced: the gateway reads it from the table.
    await bySql(`SELECT pg_terminate_backend(pid) ${listening}`);
    await unheard('UPDATE api_key SET revoked_at = now() WHERE id = $1', [first.id]);
    expect(await statusWithin(url, second.key, 200)).toBe(200);
    expect(await statusWithin(url, first.key, 401)).toBe(401);

    // Listening again (0.25 s later), it keeps keys: a change made unannounced is not seen, an announced one is.
    const deadline = Date.now() + 5_000;
    while ((await bySql(`SELECT pid ${listening}`)).length < listeners && Date.now() < deadline)
      await sleep(50);
    expect((await bySql(`SELECT pid ${listening}`)).length).toBe(listeners);
    expect((await call(url, 'GET', '/v1/me', { key: second.key })).status).toBe(200);
    await unheard('UPDATE api_key SET revoked_at = now() WHERE id = $1', [second.id]);
    expect((await call(url, 'GET', '/v1/me', { key: second.key })).status).toBe(200);
    await bySql('UPDATE api_key SET name = name WHERE id = $1', [second.id]);
    expect(await statusWithin(url, second.key, 401)).toBe(401);
  });

  it('records the key behind each invoice in the journal and as the actor of its audit entries', async () => {
    const { url } = await world.gateway();
    const { id, key } = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] });
    const issued = await call(url, 'POST', '/v1/invoices', { key, body: facturaB() });
    expect(issued.status).toBe(201);
    const listed = await call(
      url,
      'GET',
      `/v1/audit/invoices?cuit=${CUIT}&cae=${issued.json.invoices[0].cae}`,
    );
    expect(listed.json.items).toHaveLength(1);
    expect(listed.json.items[0].apiKey).toEqual({ id, name: 'test pos' });
    const detail = await call(url, 'GET', `/v1/audit/invoices/${listed.json.items[0].id}`);
    expect(detail.json.request.apiKeyId).toBe(id);
    expect(detail.json.entries.map((entry: { kind: string }) => entry.kind)).toEqual([
      'invoice.requested',
      'invoice.answered',
    ]);
    expect(detail.json.entries.every((entry: { actor: string }) => entry.actor === id)).toBe(true);
  });

  it('answers 429 with Retry-After past the per-key limit, and counts each key apart', async () => {
    const { url } = await world.gateway({}, { RATE_LIMIT_PER_MINUTE: '5' });
    const busy = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const calm = await createKey(url, { role: 'auditor', cuits: [CUIT] });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let index = 0; index < 7; index += 1) {
      const answer = await call(url, 'GET', '/v1/audit/verify', { key: busy.key });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.json).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await call(url, 'GET', '/v1/audit/verify', { key: calm.key })).status).toBe(200);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The status GET /v1/me answers `key`, asked every 20 ms until it is `wanted` or 2 s have passed. */
async function statusWithin(url: string, key: string, wanted: number): Promise<number> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const { status } = await call(url, 'GET', '/v1/me', { key });
    if (status === wanted || Date.now() > deadline) return status;
    await sleep(20);
  }
}
