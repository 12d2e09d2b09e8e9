import { describe, expect, it, vi } from 'vitest';
import {
  ADMIN_KEY,
  billingWorld,
  type BillingWorld,
  call,
  CUIT,
  facturaB,
  type JsonBody,
  postInvoice,
} from './billing-harness.js';
import { verifyWholeChain } from '../support/chain-verification.js';

/** A Factura A to a company receiver, which only ARCA's registry can refuse (10015 for an unknown CUIT). */
function facturaA(receiver: number, ptoVta: number) {
  const body = facturaB({ DocTipo: 80, DocNro: receiver, CondicionIVAReceptorId: 1 }, ptoVta);
  return { ...body, FeCAEReq: { ...body.FeCAEReq, FeCabReq: { ...body.FeCAEReq.FeCabReq, CbteTipo: 1 } } };
}

/**
 * 30 sales of one point of sale whose call loses its answer: a first sale's call with ARCA at 600 ms is let reach
 * ARCA (the standing latency rule has taken it), then `fault` is set for the next call, which carries the 30 that
 * queued meanwhile (a latency: that call is held so long, then processed). Answered in the order sent;
 * FECompConsultar and FECAESolicitar calls the sandbox answered meanwhile.
 */
async function lostCall(
  world: BillingWorld,
  url: string,
  ptoVta: number,
  fault: 'reset' | 'authorize-then-drop' | { latencyMs: number },
) {
  expect((await postInvoice(url, facturaB({}, ptoVta))).status).toBe(201); // ticket, tables, lane
  const rule = { id: `slow-${ptoVta}`, latencyMs: 600, count: 1000 };
  world.fault('FECAESolicitar', 'latency', rule);
  const opener = postInvoice(url, facturaB({}, ptoVta));
  await vi.waitFor(() =>
    expect(world.sandbox.faults.list().find((item) => item.id === rule.id)?.count).toBe(999),
  );
  if (typeof fault === 'string') world.fault('FECAESolicitar', fault);
  else world.fault('FECAESolicitar', 'latency', fault);
  const consults = world.calls('FECompConsultar');
  const solicits = world.calls('FECAESolicitar');
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, sale) =>
      postInvoice(url, facturaB({}, ptoVta), { 'idempotency-key': `lost-${ptoVta}-${sale}` }),
    ),
  );
  expect((await opener).status).toBe(201);
  world.sandbox.faults.clear();
  // Each of the 30 got its own voucher, numbered after the first two, as ARCA holds it.
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
  expect(answers.map((answer) => answer.json.invoices[0].cbteDesde as number).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 30 }, (_, index) => index + 3),
  );
  for (const answer of answers) {
    const { cbteDesde, cae } = answer.json.invoices[0];
    expect(world.sandbox.store.find(CUIT, ptoVta, 6, cbteDesde)?.codAutorizacion).toBe(cae);
  }
  return {
    answers,
    consults: world.calls('FECompConsultar') - consults,
    solicits: world.calls('FECAESolicitar') - solicits,
  };
}

describe('lanes that batch: many sales in one FECAESolicitar', () => {
  const world = billingWorld();

  it('serves 120 concurrent sales of one lane in a handful of calls, numbered consecutively, each with its own CAE', async () => {
    const { url } = await world.gateway();
    const ptoVta = 21;
    expect((await postInvoice(url, facturaB({}, ptoVta))).status).toBe(201); // ticket, tables, lane
    world.fault('FECAESolicitar', 'latency', { latencyMs: 300, count: 1000 });
    const calls = world.calls('FECAESolicitar');
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, sale) =>
        postInvoice(url, facturaB({}, ptoVta), { 'idempotency-key': `batch-sale-${sale}` }),
      ),
    );
    world.sandbox.faults.clear();
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    const numbers = answers
      .map((answer) => answer.json.invoices[0].cbteDesde as number)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 120 }, (_, index) => index + 2));
    const used = world.calls('FECAESolicitar') - calls;
    expect(used).toBeLessThanOrEqual(10);
    // Each sale got its own voucher as ARCA holds it.
    for (const answer of answers) {
      const { cbteDesde, cae } = answer.json.invoices[0];
      expect(world.sandbox.store.find(CUIT, ptoVta, 6, cbteDesde)?.codAutorizacion).toBe(cae);
      expect(answer.json.afip.FeCabResp.CantReg).toBe(1);
    }
    // One answered entry per sale, and the batch's calls in the metrics.
    const entries = await world.db.query(
      `SELECT count(*)::int AS n FROM audit_entry e JOIN invoice_request r ON e.subject = 'invoice_request/' || r.id
        WHERE e.kind = 'invoice.answered' AND r.pto_vta = $1`,
      [ptoVta],
    );
    expect(entries.rows[0].n).toBe(121);
    const metrics = await call(url, 'GET', '/metrics', { key: null });
    expect(metrics.text).toMatch(/^arca_batch_size_count \d+$/m);
    expect(await verifyWholeChain(url, ADMIN_KEY)).toMatchObject({ state: 'done', ok: true });
  });

  it('reports only the sale ARCA rejected; the ones after it in the batch are renumbered and authorized', async () => {
    const { url } = await world.gateway();
    const ptoVta = 22;
    expect((await postInvoice(url, facturaA(30712345671, ptoVta))).status).toBe(201);
    world.fault('FECAESolicitar', 'latency', { latencyMs: 300, count: 1000 });
    // The first call carries one sale; the 30 that queue meanwhile, one of them to an unknown CUIT, go together.
    const opener = postInvoice(url, facturaA(30712345671, ptoVta));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const calls = world.calls('FECAESolicitar');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, sale) =>
        postInvoice(url, facturaA(sale === 10 ? 30600000000 : 30712345671, ptoVta)),
      ),
    );
    await opener;
    world.sandbox.faults.clear();
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 422)).toHaveLength(1);
    expect(statuses.filter((status) => status === 201)).toHaveLength(29);
    const rejected = answers.find((answer) => answer.status === 422)!;
    expect(rejected.json.invoices[0].observaciones[0].code).toBe(10015);
    expect((rejected.json.afip as JsonBody).FeDetResp[0].DocNro).toBe(30600000000);
    // The rejected number was freed: the lane has no gap.
    const numbers = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => answer.json.invoices[0].cbteDesde as number)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 29 }, (_, index) => index + 3));
    expect(world.sandbox.store.lastNumber(CUIT, ptoVta, 1)).toBe(31);
    // One call for the batch, one more for the tail after the rejection.
    expect(world.calls('FECAESolicitar') - calls).toBeLessThanOrEqual(4);
  });

  it('sends a sale once when its retry takes it over while both wait in the same batch', async () => {
    const { url } = await world.gateway();
    const ptoVta = 23;
    expect((await postInvoice(url, facturaB({}, ptoVta))).status).toBe(201);
    world.fault('FECAESolicitar', 'latency', { latencyMs: 400, count: 1 });
    // The lane is busy with this call; the sale and its retry (same key, same body) queue behind it.
    const busy = postInvoice(url, facturaB({}, ptoVta));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = postInvoice(url, facturaB({ DocNro: 87654321 }, ptoVta), {
      'idempotency-key': 'retried-sale',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const retry = postInvoice(url, facturaB({ DocNro: 87654321 }, ptoVta), {
      'idempotency-key': 'retried-sale',
    });
    const [, firstAnswer, retryAnswer] = await Promise.all([busy, first, retry]);
    const vouchers = world.sandbox.store
      .all()
      .filter((voucher) => voucher.ptoVta === ptoVta && voucher.detail?.DocNro === 87654321);
    expect(vouchers).toHaveLength(1);
    const caes = [firstAnswer, retryAnswer]
      .filter((answer) => answer.status === 201)
      .map((answer) => answer.json.invoices[0].cae);
    expect(caes.length).toBeGreaterThan(0);
    expect(new Set(caes)).toEqual(new Set([vouchers[0]!.codAutorizacion]));
    // The one taken over is told so (409, retry with the key), and the key then replays the voucher.
    const replay = await postInvoice(url, facturaB({ DocNro: 87654321 }, ptoVta), {
      'idempotency-key': 'retried-sale',
    });
    expect(replay.status).toBe(201);
    expect(replay.json.invoices[0].cae).toBe(vouchers[0]!.codAutorizacion);
  });

  it('sends a batch ARCA never got again as one call, as it was sent, after its answer is lost', async () => {
    const { url } = await world.gateway();
    const ptoVta = 24;
    // Reset before ARCA processes it: the gateway cannot know, so the answer is lost.
    const { consults } = await lostCall(world, url, ptoVta, 'reset');
    // ARCA's last number said it had none of them: no FECompConsultar, and the 30 went again in one call.
    expect(consults).toBe(0);
    const resent = await world.db.query(
      `SELECT count(*)::int AS n FROM audit_entry e JOIN invoice_request r ON e.subject = 'invoice_request/' || r.id
        WHERE e.kind = 'invoice.answered' AND e.payload->>'reconciled' = 'resent' AND r.pto_vta = $1`,
      [ptoVta],
    );
    expect(resent.rows[0].n).toBe(30);
    expect(world.sandbox.store.lastNumber(CUIT, ptoVta, 6)).toBe(32);
    expect(await verifyWholeChain(url, ADMIN_KEY)).toMatchObject({ state: 'done', ok: true });
  });

  it('recovers a batch ARCA processed from its records after the answer was dropped, each number asked once', async () => {
    const { url } = await world.gateway();
    const { answers, consults } = await lostCall(world, url, 25, 'authorize-then-drop');
    for (const answer of answers) expect(answer.json.recoveredWith).toBe('FECompConsultar');
    // Asked several at a time, each number once.
    expect(consults).toBe(30);
    expect(await verifyWholeChain(url, ADMIN_KEY)).toMatchObject({ state: 'done', ok: true });
  });

  it("settles a batch one by one from ARCA's records when ARCA processes the lost call after saying it had none", async () => {
    // The batch's call is held 1,350 ms at ARCA and the gateway gives up at 1,000: ARCA's last number, asked at
    // once, says it has none of the 30, so they go again together; that resend is held 600 ms (the standing rule),
    // so the first call is processed meanwhile and ARCA refuses the resend's numbers (10016).
    const { url } = await world.gateway({}, { AFIP_TIMEOUT_MS: '1000' });
    const { answers, consults, solicits } = await lostCall(world, url, 26, { latencyMs: 1350 });
    // The opener's, the held batch (authorized once processed) and the resend ARCA refused for its numbering; then
    // each number looked up: all 30 were the held batch's.
    expect(solicits).toBe(3);
    const solicited = world.sandboxLog.filter((line) => line.startsWith('wsfe FECAESolicitar ->')).slice(-2);
    expect(solicited[0]).toContain('Resultado A');
    expect(solicited[1]).toContain('Err 10016');
    expect(consults).toBe(30);
    for (const answer of answers) expect(answer.json.recoveredWith).toBe('FECompConsultar');
    expect(world.sandbox.store.lastNumber(CUIT, 26, 6)).toBe(32);
    expect(await verifyWholeChain(url, ADMIN_KEY)).toMatchObject({ state: 'done', ok: true });
  });
});
