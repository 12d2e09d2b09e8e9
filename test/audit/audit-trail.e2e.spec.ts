import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  billingWorld,
  call,
  createKey,
  CUIT,
  facturaB,
  type JsonBody,
} from '../billing/billing-harness.js';
import { verifyWholeChain } from '../support/chain-verification.js';

// Several hundred sales through two replicas and two pos keys, one in eight rejected by ARCA: the audit API holds
// every CAE the sandbox issued exactly once, the chain verifies, and one changed byte is named.
const SALES = 320;
const CONCURRENCY = 16;

describe('audit trail after several hundred invoices', () => {
  const world = billingWorld();
  let gateways: { url: string }[];
  let auditor: string;
  const outcomes: number[] = [];

  beforeAll(async () => {
    gateways = [await world.gateway(), await world.gateway()];
    const pos = [
      (await createKey(gateways[0]!.url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] })).key,
      (await createKey(gateways[0]!.url, { role: 'pos', cuits: [CUIT], ptoVtas: [2] })).key,
    ];
    auditor = (await createKey(gateways[0]!.url, { role: 'auditor', cuits: [CUIT] })).key;
    let next = 0;
    const worker = async () => {
      while (next < SALES) {
        const sale = next++;
        const rejected = sale % 8 === 7;
        const body = facturaB(rejected ? { MonId: 'DOL', MonCotiz: 1 } : {}, 1 + (sale % 2));
        const answer = await call(gateways[sale % 2]!.url, 'POST', '/v1/invoices', {
          key: pos[sale % 2],
          body,
        });
        outcomes.push(answer.status);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }, 240_000);

  async function auditedInvoices(): Promise<JsonBody[]> {
    const items: JsonBody[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(
        gateways[1]!.url,
        'GET',
        `/v1/audit/invoices?cuit=${CUIT}&limit=97${cursor ? `&cursor=${cursor}` : ''}`,
        { key: auditor },
      );
      expect(page.status).toBe(200);
      items.push(...(page.json.items as JsonBody[]));
      cursor = page.json.nextCursor as string | null;
    } while (cursor);
    return items;
  }

  it('answered every sale: 201 for the approved, 422 for the rejected', () => {
    const rejected = Math.floor(SALES / 8);
    expect(outcomes.filter((status) => status === 201)).toHaveLength(SALES - rejected);
    expect(outcomes.filter((status) => status === 422)).toHaveLength(rejected);
  });

  it("holds every CAE of the sandbox's state exactly once, and each lane's numbers without gap", async () => {
    const state = (await (await fetch(`${world.sandbox.url}/__sandbox/state`)).json()) as {
      vouchers: { cuit: number; ptoVta: number; cae: string }[];
    };
    const issued = state.vouchers.filter((voucher) => voucher.cuit === CUIT);
    expect(issued).toHaveLength(SALES - Math.floor(SALES / 8));
    const audited = await auditedInvoices();
    const authorized = audited.filter((item) => item.resultado === 'A');
    const counts = new Map<string, number>();
    for (const item of authorized) counts.set(item.cae as string, (counts.get(item.cae as string) ?? 0) + 1);
    for (const voucher of issued) expect(counts.get(voucher.cae), voucher.cae).toBe(1);
    expect(authorized).toHaveLength(issued.length);
    expect(audited.filter((item) => item.resultado === 'R')).toHaveLength(Math.floor(SALES / 8));
    for (const ptoVta of [1, 2]) {
      const numbers = authorized
        .filter((item) => item.ptoVta === ptoVta)
        .map((item) => item.cbteNro as number);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, index) => index + 1));
    }
  });

  it('shows for each invoice the request, the answer and both chain entries', async () => {
    const [first] = await auditedInvoices();
    const detail = await call(gateways[0]!.url, 'GET', `/v1/audit/invoices/${first!.id}`, { key: auditor });
    expect(detail.status).toBe(200);
    expect(detail.json.request).toMatchObject({ state: 'AUTHORIZED', httpStatus: 201 });
    const [requested, answered] = detail.json.entries as JsonBody[];
    expect(requested).toMatchObject({ kind: 'invoice.requested', cuit: String(CUIT) });
    expect(answered).toMatchObject({
      kind: 'invoice.answered',
      payload: { resultado: 'A', vouchers: [{ cae: first!.cae, cbteDesde: first!.cbteNro }] },
    });
    expect(answered!.payload.arcaMs).toBeGreaterThan(0);
  });

  it("verifies the auditor's own entries, then from a checkpoint; the whole chain in the background", async () => {
    const url = gateways[0]!.url;
    const own = await call(url, 'GET', '/v1/audit/verify', { key: auditor });
    expect(own.json).toMatchObject({ ok: true, scope: { cuits: [String(CUIT)] } });
    const count = await world.db.query(
      'SELECT count(*)::int AS n, min(seq)::text AS first FROM audit_entry WHERE cuit = $1',
      [CUIT],
    );
    expect(own.json.checked).toBe(count.rows[0].n);
    expect(own.json.fromSeq).toBe(count.rows[0].first);
    // Per sale a request and an answer, at least.
    expect(own.json.checked).toBeGreaterThanOrEqual(SALES * 2);

    const sale = await call(url, 'POST', '/v1/invoices', { body: facturaB() });
    expect(sale.status).toBe(201);
    const from = Number(own.json.toSeq) + 1;
    const resumed = await call(
      url,
      'GET',
      `/v1/audit/verify?fromSeq=${from}&checkpointHash=${own.json.lastHash}`,
      {
        key: auditor,
      },
    );
    expect(resumed.json).toMatchObject({ ok: true, checked: 2 });
    const forged = await call(
      url,
      'GET',
      `/v1/audit/verify?fromSeq=${from}&checkpointHash=${'a'.repeat(64)}`,
      {
        key: auditor,
      },
    );
    expect(forged.json).toMatchObject({
      ok: false,
      firstBroken: { seq: own.json.toSeq, reason: 'checkpoint' },
    });

    // The whole chain: keys and tickets too, from the first entry; then a run after its checkpoint.
    const whole = await verifyWholeChain(url, ADMIN_KEY);
    expect(whole).toMatchObject({ state: 'done', ok: true, fromSeq: '1', progress: 1 });
    expect(whole.checked).toBeGreaterThanOrEqual(SALES * 2 + 4);
    expect((await call(url, 'POST', '/v1/invoices', { body: facturaB() })).status).toBe(201);
    const after = await verifyWholeChain(url, ADMIN_KEY, false);
    expect(after).toMatchObject({
      state: 'done',
      ok: true,
      fromSeq: String(Number(whole.toSeq) + 1),
      checked: 2,
    });
  });

  it('refuses UPDATE and DELETE on the trail, even from the superuser, until the trigger is disabled', async () => {
    await expect(
      world.db.query("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 5"),
    ).rejects.toThrow(/append-only/);
    await expect(world.db.query('DELETE FROM audit_entry WHERE seq = 5')).rejects.toThrow(/append-only/);
  });

  it('names the entry whose stored bytes were changed behind its back', async () => {
    const target = await world.db.query<{ seq: string; cae: string }>(
      "SELECT seq::text, payload->'vouchers'->0->>'cae' AS cae FROM audit_entry WHERE kind = 'invoice.answered' AND payload->>'resultado' = 'A' ORDER BY seq OFFSET 100 LIMIT 1",
    );
    const { seq, cae } = target.rows[0]!;
    const changed = `${(Number(cae[0]) + 1) % 10}${cae.slice(1)}`;
    await world.db.query(`
      BEGIN;
      ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete;
      UPDATE audit_entry SET payload = jsonb_set(payload, '{vouchers,0,cae}', to_jsonb('${changed}'::text)) WHERE seq = ${seq};
      ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update_delete;
      COMMIT;`);
    const verdict = await call(gateways[1]!.url, 'GET', '/v1/audit/verify', { key: auditor });
    expect(verdict.json).toMatchObject({
      ok: false,
      toSeq: seq,
      firstBroken: { seq, kind: 'invoice.answered', reason: 'hash' },
    });
    const before = await world.db.query(
      'SELECT count(*)::int AS n FROM audit_entry WHERE cuit = $1 AND seq < $2',
      [CUIT, seq],
    );
    expect(verdict.json.checked).toBe(before.rows[0].n);
    // The background run over the whole chain names the same entry.
    expect(await verifyWholeChain(gateways[1]!.url, ADMIN_KEY)).toMatchObject({
      state: 'done',
      ok: false,
      firstBroken: { seq, kind: 'invoice.answered', reason: 'hash' },
    });
  });

  it('names the entry whose journal row no longer matches the request hash it holds', async () => {
    const target = await world.db.query<{ id: string; seq: string }>(
      `SELECT r.id, e.seq::text FROM invoice_request r JOIN audit_entry e ON e.subject = 'invoice_request/' || r.id
        WHERE e.kind = 'invoice.requested' ORDER BY e.seq DESC LIMIT 1`,
    );
    const { id, seq } = target.rows[0]!;
    await world.db.query(
      `UPDATE invoice_request SET request = jsonb_set(request, '{FeCAEReq,FeCabReq,PtoVta}', '99') WHERE id = $1`,
      [id],
    );
    const verdict = await call(gateways[0]!.url, 'GET', `/v1/audit/verify?fromSeq=${seq}`, { key: auditor });
    expect(verdict.json).toMatchObject({
      ok: false,
      firstBroken: { seq, kind: 'invoice.requested', reason: 'journal' },
    });
  });
});
