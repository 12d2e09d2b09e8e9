// The soak's traffic: POS terminals selling (single vouchers and 50-voucher requests, retried as a POS retries),
// the same sale racing across replicas, refused inputs of every kind, auditors, and ARCA faults on a schedule.
import { consumerInvoice } from '../support.mjs';

export const TENANTS = [
  { cuit: 20123456789, ptoVtas: [1, 2, 3, 4, 5, 6] },
  { cuit: 30712345671, ptoVtas: [1, 2, 3, 4] },
];

/** The soak's sales carry their line (`Items`), as a POS that prints would. */
export function invoiceBody(cuit, ptoVta, count) {
  return consumerInvoice(cuit, ptoVta, count, true);
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Answers a POS takes as final: authorized (201), rejected by ARCA (422) or refused (other 4xx but 409/429). */
const final = (status) =>
  status === 201 || status === 422 || (status >= 400 && status < 500 && status !== 409 && status !== 429);

async function post(url, key, body, idempotencyKey) {
  try {
    const response = await fetch(`${url}/v1/invoices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { status: response.status, text, retryAfter: Number(response.headers.get('retry-after')) || 0 };
  } catch (error) {
    return { status: 0, text: String(error), retryAfter: 0 };
  }
}

function caes(text) {
  try {
    return (JSON.parse(text).invoices ?? []).flatMap((invoice) => (invoice.cae ? [invoice.cae] : []));
  } catch {
    return [];
  }
}

/** A sale as a POS makes it: the same Idempotency-Key until a final answer, or `tries` attempts. */
export async function sell(ctx, key, body, idempotencyKey, tries = 12) {
  let last;
  for (let attempt = 0; attempt < tries; attempt += 1) {
    last = await post(pick(ctx.urls), key, body, idempotencyKey);
    ctx.count(last.status);
    if (final(last.status)) return { status: last.status, caes: caes(last.text) };
    await sleep(Math.min(5_000, Math.max(200, last.retryAfter * 1000)));
  }
  return { status: last.status, caes: [], unresolved: true };
}

export async function salesLoop(ctx, worker) {
  let sequence = 0;
  while (!ctx.stopped) {
    const tenant = pick(ctx.tenants);
    const ptoVta = pick(tenant.ptoVtas);
    const count = Math.random() < 0.05 ? 50 : 1;
    const sale = {
      idempotencyKey: `soak-${worker}-${sequence++}`,
      cuit: tenant.cuit,
      ptoVta,
      count,
      key: tenant.posKey,
    };
    const outcome = await sell(
      ctx,
      tenant.posKey,
      invoiceBody(tenant.cuit, ptoVta, count),
      sale.idempotencyKey,
    );
    ctx.sales.push({ ...sale, ...outcome });
  }
}

/** The same sale sent at once to every replica (twice to one), then retried until final: one voucher, one CAE. */
export async function raceLoop(ctx) {
  let sequence = 0;
  while (!ctx.stopped) {
    const tenant = pick(ctx.tenants);
    const sale = {
      idempotencyKey: `soak-race-${sequence++}`,
      cuit: tenant.cuit,
      ptoVta: tenant.ptoVtas[0],
      count: 1,
    };
    const body = invoiceBody(tenant.cuit, sale.ptoVta, 1);
    const targets = ctx.urls.length > 1 ? ctx.urls : [ctx.urls[0], ctx.urls[0]];
    const answers = await Promise.all(
      targets.map(async (url) => {
        const first = await post(url, tenant.posKey, body, sale.idempotencyKey);
        ctx.count(first.status);
        return final(first.status)
          ? { status: first.status, caes: caes(first.text) }
          : sell(ctx, tenant.posKey, body, sale.idempotencyKey);
      }),
    );
    const seen = new Set(answers.flatMap((answer) => answer.caes));
    if (seen.size > 1) ctx.raceMismatches += 1;
    ctx.sales.push({ ...sale, ...answers[0] });
    await sleep(1_000);
  }
}

/** Refused inputs: each must be a 4xx, never a 5xx, and cost the gateway little. */
export async function hostileLoop(ctx) {
  const tenant = ctx.tenants[0];
  const other = ctx.tenants[1];
  const kinds = {
    oversize: () => invoiceBody(tenant.cuit, 1, 1000),
    deep: () => `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
    malformed: () => '{"Auth": {"Cuit": 20123456789,',
    outOfScope: () => invoiceBody(other.cuit, 1, 1),
    tooLarge: () => JSON.stringify({ Auth: { Cuit: tenant.cuit }, pad: 'x'.repeat(700_000) }),
    wrongTypes: () => JSON.stringify({ Auth: { Cuit: 'x' }, FeCAEReq: [] }),
  };
  const names = Object.keys(kinds);
  let turn = 0;
  while (!ctx.stopped) {
    const name = names[turn++ % names.length];
    const answer = await post(pick(ctx.urls), tenant.posKey, kinds[name]());
    ctx.count(answer.status);
    ctx.hostile[`${name} ${answer.status}`] = (ctx.hostile[`${name} ${answer.status}`] ?? 0) + 1;
    await sleep(150);
  }
}

/** Auditors list, export CSV and verify their CUITs; an admin runs the whole-chain verification now and then. */
export async function auditLoop(ctx) {
  let turn = 0;
  while (!ctx.stopped) {
    const tenant = pick(ctx.tenants);
    const headers = { authorization: `Bearer ${tenant.auditorKey}` };
    const url = pick(ctx.urls);
    const paths = [
      `/v1/audit/invoices?cuit=${tenant.cuit}&limit=100`,
      `/v1/audit/verify`,
      `/v1/audit/invoices?cuit=${tenant.cuit}&ptoVta=1`,
    ];
    const path = paths[turn % paths.length];
    try {
      const response = await fetch(`${url}${path}`, {
        headers: { ...headers, ...(turn % 3 === 2 ? { accept: 'text/csv' } : {}) },
        signal: AbortSignal.timeout(120_000),
      });
      // Read the whole answer (a CSV export streams every row) and throw it away.
      const reader = response.body.getReader();
      while (!(await reader.read()).done);
      ctx.count(response.status);
      if (path === '/v1/audit/verify' && response.status !== 200) ctx.auditFailures += 1;
    } catch {
      ctx.count(0);
    }
    if (turn % 30 === 29) {
      const started = await fetch(`${url}/v1/audit/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.adminKey}` },
      });
      ctx.count(started.status);
      ctx.verifications.push((await started.json()).id);
    }
    turn += 1;
    await sleep(1_000);
  }
}

const FAULTS = [
  { kind: 'latency', latencyMs: 800, count: 40 },
  { kind: 'reset', count: 2 },
  { kind: 'authorize-then-drop', count: 1 },
  { kind: 'http503', count: 3 },
  { kind: 'http500', count: 2 },
];

/** Every 20 s one ARCA fault on FECAESolicitar (each hits a few calls, then is gone). */
export async function faultLoop(ctx) {
  let turn = 0;
  while (!ctx.stopped) {
    await sleep(20_000);
    if (ctx.stopped) break;
    const rule = FAULTS[turn++ % FAULTS.length];
    await fetch(`${ctx.sandboxUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'wsfe', operation: 'FECAESolicitar', probability: 1, ...rule }),
    }).catch(() => undefined);
    ctx.faults[rule.kind] = (ctx.faults[rule.kind] ?? 0) + 1;
  }
}
