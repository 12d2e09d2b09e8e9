import { describe, expect, it } from 'vitest';
import { entryHash } from '../../apps/api/src/audit/audit-chain.js';
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

// Audit verification per tenant, and the whole chain as a background job over 200,000 entries.

const OTHER = 20111111112;
const GENERATED = 200_000;

describe('audit verification', () => {
  const world = billingWorld();

  it("covers only the auditor's CUITs and tells nothing of the others', whose tampering it does not see", async () => {
    const { url } = await world.gateway();
    for (let sale = 0; sale < 6; sale += 1) {
      const body = facturaB({}, 1);
      const other = { ...body, Auth: { Cuit: OTHER } };
      expect((await call(url, 'POST', '/v1/invoices', { body: sale % 2 ? other : body })).status).toBe(201);
      expect((await call(url, 'POST', '/v1/invoices', { body: sale % 2 ? body : other })).status).toBe(201);
    }
    const mine = (await createKey(url, { role: 'auditor', cuits: [CUIT] })).key;
    const theirs = (await createKey(url, { role: 'auditor', cuits: [OTHER] })).key;

    const answer = await call(url, 'GET', '/v1/audit/verify', { key: mine });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual([
      'checked',
      'fromSeq',
      'lastHash',
      'ok',
      'scope',
      'toSeq',
    ]);
    const own = await world.db.query(
      'SELECT count(*)::int AS n, min(seq)::text AS first, max(seq)::text AS last FROM audit_entry WHERE cuit = $1',
      [CUIT],
    );
    expect(answer.json).toMatchObject({
      ok: true,
      scope: { cuits: [String(CUIT)] },
      checked: own.rows[0].n,
      fromSeq: own.rows[0].first,
      toSeq: own.rows[0].last,
    });
    const others = await world.db.query<{ seq: string; hash: string }>(
      'SELECT seq::text, hash FROM audit_entry WHERE cuit IS DISTINCT FROM $1',
      [CUIT],
    );
    const text = answer.text;
    for (const entry of others.rows) expect(text).not.toContain(entry.hash);
    expect((await call(url, 'GET', `/v1/audit/verify?cuit=${OTHER}`, { key: mine })).status).toBe(403);

    // The other tenant's entry changed behind its back: its auditor is told; this one's verification still holds,
    // since it compares only the hash the next entry points at.
    const target = await world.db.query<{ seq: string; actor: string }>(
      "SELECT seq::text, actor FROM audit_entry WHERE cuit = $1 AND kind = 'invoice.answered' ORDER BY seq LIMIT 1",
      [OTHER],
    );
    const { seq, actor } = target.rows[0]!;
    await setActor(seq, 'someone else');
    expect((await call(url, 'GET', '/v1/audit/verify', { key: theirs })).json).toMatchObject({
      ok: false,
      firstBroken: { seq, reason: 'hash' },
    });
    expect((await call(url, 'GET', '/v1/audit/verify', { key: mine })).json).toMatchObject({ ok: true });
    // Put it back, for the run over the whole chain below.
    await setActor(seq, actor);
  });

  it(`verifies ${GENERATED.toLocaleString('en')} entries in the background, reporting progress, while the process keeps answering`, async () => {
    const { url } = await world.gateway();
    await appendGenerated(GENERATED);
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    const started = await fetch(`${url}/v1/audit/verify?full=true`, { method: 'POST', headers });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as JsonBody;
    // Asking again while it runs answers the same run.
    const again = (await (
      await fetch(`${url}/v1/audit/verify`, { method: 'POST', headers })
    ).json()) as JsonBody;
    expect(again).toMatchObject({ id, alreadyRunning: true });

    const progress: number[] = [];
    const live: number[] = [];
    let run: JsonBody;
    for (;;) {
      const probe = performance.now();
      const health = await fetch(`${url}/health/live`);
      live.push(performance.now() - probe);
      expect(health.status).toBe(200);
      run = (await (await fetch(`${url}/v1/audit/verify/${id}`, { headers })).json()) as JsonBody;
      progress.push(run.progress as number);
      if (run.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    live.sort((a, b) => a - b);
    console.log(
      `verification of ${run.checked} entries: ${progress.length} polls; /health/live p50 ${live[Math.floor(live.length / 2)]!.toFixed(1)} ms, max ${live.at(-1)!.toFixed(1)} ms`,
    );
    expect(run).toMatchObject({ state: 'done', ok: true, fromSeq: '1', progress: 1 });
    expect(run.checked).toBeGreaterThanOrEqual(GENERATED);
    // Progress was reported on the way, never going back.
    expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    // The event loop was never held for long: a walk that did not yield would stall for the whole run (seconds).
    expect(live.at(-1)!).toBeLessThan(1000);
    const checkpoints = await world.db.query(
      'SELECT count(*)::int AS n FROM audit_checkpoint WHERE verification_id = $1',
      [id],
    );
    expect(checkpoints.rows[0].n).toBeGreaterThanOrEqual(GENERATED / 10_000);

    // The next run starts after the last checkpoint: only what came since.
    await appendGenerated(3);
    expect(await verifyWholeChain(url, ADMIN_KEY, false)).toMatchObject({ ok: true, checked: 3 });
  }, 240_000);

  /** Rewrites an entry's actor behind the trail's back (the superuser, its append-only trigger disabled). */
  async function setActor(seq: string, actor: string): Promise<void> {
    await world.db.query(`
      BEGIN;
      ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete;
      UPDATE audit_entry SET actor = '${actor}' WHERE seq = ${seq};
      ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update_delete;
      COMMIT;`);
  }

  /** Entries appended straight to the table, chained as the gateway chains them (tenants' entries, to be hashed). */
  async function appendGenerated(count: number): Promise<void> {
    const last = await world.db.query<{ hash: string; at: Date }>(
      'SELECT hash, occurred_at AS at FROM audit_entry ORDER BY seq DESC LIMIT 1',
    );
    let previous = last.rows[0]!.hash;
    const base = last.rows[0]!.at.getTime() + 1;
    const chunk = 20_000;
    for (let from = 0; from < count; from += chunk) {
      const at: Date[] = [];
      const payloads: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (let index = from; index < Math.min(count, from + chunk); index += 1) {
        const entry = {
          kind: 'generated',
          actor: 'test',
          subject: `generated/${index}`,
          cuit: String(CUIT),
          payload: { n: index, note: 'a generated entry' },
          occurredAt: new Date(base + index),
        };
        const hash = entryHash(previous, entry);
        at.push(entry.occurredAt);
        payloads.push(JSON.stringify(entry.payload));
        prevs.push(previous);
        hashes.push(hash);
        previous = hash;
      }
      await world.db.query(
        `INSERT INTO audit_entry (occurred_at, kind, actor, subject, cuit, payload, prev_hash, hash)
         SELECT at, 'generated', 'test', 'generated/' || (n - 1 + $5::int), $6::bigint, payload, prev, hash
           FROM unnest($1::timestamptz[], $2::jsonb[], $3::text[], $4::text[]) WITH ORDINALITY AS t(at, payload, prev, hash, n)
          ORDER BY n`,
        [at, payloads, prevs, hashes, from, CUIT],
      );
    }
  }
});
