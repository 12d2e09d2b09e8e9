import { describe, expect, it } from 'vitest';
import { billingWorld, call, createKey, CUIT, type JsonBody, postInvoice } from './billing-harness.js';

/** A Factura A (or another type) to a CUIT receiver, without CondicionIVAReceptorId. */
function toCompany(docNro: number, ptoVta: number, cbteTipo = 1) {
  return {
    Auth: { Cuit: CUIT },
    FeCAEReq: {
      FeCabReq: { CantReg: 1, PtoVta: ptoVta, CbteTipo: cbteTipo },
      FeDetReq: {
        FECAEDetRequest: {
          Concepto: 1,
          DocTipo: 80,
          DocNro: docNro,
          ImpTotal: 1210,
          ImpTotConc: 0,
          ImpNeto: 1000,
          ImpOpEx: 0,
          ImpTrib: 0,
          ImpIVA: 210,
          MonId: 'PES',
          MonCotiz: 1,
          Iva: { AlicIva: { Id: 5, BaseImp: 1000, Importe: 210 } },
        },
      },
    },
  };
}

/** The sandbox's 20 load-test companies (apps/sandbox/src/padron/registry.ts): 30-710000NN-D with a check digit. */
function loadTestCompanies(): number[] {
  const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const cuits: number[] = [];
  for (let serial = 1; cuits.length < 20; serial += 1) {
    const base = `30710000${String(serial).padStart(2, '0')}`;
    const digit = (11 - (weights.reduce((sum, w, i) => sum + w * Number(base[i]), 0) % 11)) % 11;
    if (digit < 10) cuits.push(Number(`${base}${digit}`));
  }
  return cuits;
}

describe("the receiver's IVA condition from ARCA's taxpayer registry", () => {
  const world = billingWorld();
  let started: ReturnType<typeof world.gateway> | undefined;
  const gateway = () => (started ??= world.gateway());
  const registryCalls = () =>
    world.sandboxLog.filter((line) => line.startsWith('padron getPersona_v2 ->')).length;

  it("authorizes a Factura A sent without the condition, with the registry's value, and says so", async () => {
    const { url } = await gateway();
    const issued = await postInvoice(url, toCompany(30712345671, 11));
    expect(issued.status, issued.text).toBe(201);
    expect(issued.json.invoices[0]).toMatchObject({
      resultado: 'A',
      condicionIvaReceptor: { id: 1, source: 'registry' },
    });
    // What ARCA (the sandbox) stored.
    const state = (await (await fetch(`${world.sandbox.url}/__sandbox/state`)).json()) as JsonBody;
    const stored = state.vouchers.find((voucher: JsonBody) => voucher.ptoVta === 11);
    expect(stored).toMatchObject({ cbteTipo: 1, docNro: 30712345671, condicionIvaReceptorId: 1 });

    // DocTipo 99 gets 5; a condition the POS sent is kept and said to be its own.
    const anonymous = toCompany(0, 12, 6);
    Object.assign(anonymous.FeCAEReq.FeDetReq.FECAEDetRequest, { DocTipo: 99, DocNro: 0 });
    const consumer = await postInvoice(url, anonymous);
    expect(consumer.status, consumer.text).toBe(201);
    expect(consumer.json.invoices[0].condicionIvaReceptor).toEqual({ id: 5, source: 'DocTipo 99' });
    const given = toCompany(30712345671, 11);
    Object.assign(given.FeCAEReq.FeDetReq.FECAEDetRequest, { CondicionIVAReceptorId: 1 });
    const own = await postInvoice(url, given);
    expect(own.json.invoices[0].condicionIvaReceptor).toEqual({ id: 1, source: 'request' });
  });

  it('refuses what it cannot fill in, naming the field, before anything is written or sent', async () => {
    const { url } = await gateway();
    const sent = world.calls('FECAESolicitar');
    const unknown = await postInvoice(url, toCompany(30600000000, 13));
    expect(unknown.status, unknown.text).toBe(400);
    expect(unknown.json.details).toEqual([
      expect.objectContaining({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.DocNro', rule: 'registry' }),
    ]);
    expect(unknown.json.message).toContain('30600000000');
    const inactive = await postInvoice(url, toCompany(27222222228, 13));
    expect(inactive.status, inactive.text).toBe(400);
    expect(inactive.json.details[0]).toMatchObject({
      field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CondicionIVAReceptorId',
      rule: '10246',
    });
    expect(inactive.json.message).toContain('INACTIVO');
    const dni = toCompany(12345678, 13, 6);
    Object.assign(dni.FeCAEReq.FeDetReq.FECAEDetRequest, { DocTipo: 96 });
    const byDni = await postInvoice(url, dni);
    expect(byDni.status, byDni.text).toBe(400);
    expect(byDni.json.details[0]).toMatchObject({ rule: '10246' });
    expect(world.calls('FECAESolicitar')).toBe(sent);
    const rows = await world.db.query('SELECT count(*)::int AS n FROM invoice_request WHERE pto_vta = 13');
    expect(rows.rows[0].n).toBe(0);
  });

  it('answers 503 while the registry is down, guessing nothing, and issues once it is back', async () => {
    const { url } = await gateway();
    world.sandbox.faults.add({
      id: 'registry-down',
      service: 'padron',
      kind: 'http503',
      probability: 1,
      count: 1000,
    });
    const down = await postInvoice(url, toCompany(30500000003, 14, 6));
    expect(down.status, down.text).toBe(503);
    expect(down.headers.get('retry-after')).not.toBeNull();
    expect(down.json.message).toContain('nothing was guessed');
    world.sandbox.faults.clear();
    const back = await postInvoice(url, toCompany(30500000003, 14, 6));
    expect(back.status, back.text).toBe(201);
    expect(back.json.invoices[0].condicionIvaReceptor).toEqual({ id: 4, source: 'registry' });
  });

  it('answers a retry of a finished sale while the registry is down, even with nothing cached', async () => {
    const { url } = await world.gateway({}, { TAXPAYER_CACHE_HOURS: '0' });
    const key = { 'idempotency-key': 'registry-down-retry' };
    const first = await postInvoice(url, toCompany(30712345671, 15), key);
    expect(first.status, first.text).toBe(201);
    world.sandbox.faults.add({
      id: 'registry-down-2',
      service: 'padron',
      kind: 'reset',
      probability: 1,
      count: 1000,
    });
    try {
      const retried = await postInvoice(url, toCompany(30712345671, 15), key);
      expect(retried.status, retried.text).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.json.invoices[0].cae).toBe(first.json.invoices[0].cae);
      const fresh = await postInvoice(url, toCompany(30712345671, 15), {
        'idempotency-key': 'registry-down-new',
      });
      expect(fresh.status, fresh.text).toBe(503);
    } finally {
      world.sandbox.faults.clear();
    }
  });

  it('asks the registry about each buyer once: 1,000 invoices to 20 buyers, at most 20 calls', async () => {
    const { url } = await gateway();
    const buyers = loadTestCompanies();
    const before = registryCalls();
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const sale = next++;
        const answer = await postInvoice(url, toCompany(buyers[sale % buyers.length]!, 20 + (sale % 4)));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 40 }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 201: 1000 });
    expect(registryCalls() - before).toBeLessThanOrEqual(20);
    expect(registryCalls() - before).toBeGreaterThan(0);
  });

  it('GET /v1/taxpayers/{idPersona}: scoped by the represented CUIT, cached, refreshable, 404 for nobody', async () => {
    const { url } = await gateway();
    const pos = await createKey(url, { role: 'pos', cuits: [CUIT], ptoVtas: [1] });
    const first = await call(url, 'GET', `/v1/taxpayers/20111111112?cuit=${CUIT}`, { key: pos.key });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({
      idPersona: '20111111112',
      name: 'GOMEZ MARIA LAURA',
      personType: 'FISICA',
      keyStatus: 'ACTIVO',
      ivaCondition: { condicionIvaReceptorId: 6, description: 'Responsable Monotributo' },
      monotributo: { category: 'A LOCACIONES DE SERVICIO' },
      fiscalAddress: { province: 'CIUDAD AUTONOMA BUENOS AIRES' },
      cached: false,
    });
    const calls = registryCalls();
    const again = await call(url, 'GET', `/v1/taxpayers/20111111112?cuit=${CUIT}`, { key: pos.key });
    expect(again.json.cached).toBe(true);
    expect(registryCalls()).toBe(calls);
    const fresh = await call(url, 'GET', `/v1/taxpayers/20111111112?cuit=${CUIT}&refresh=true`, {
      key: pos.key,
    });
    expect(fresh.json.cached).toBe(false);
    expect(registryCalls()).toBe(calls + 1);

    const other = await call(url, 'GET', `/v1/taxpayers/20111111112?cuit=30712345671`, { key: pos.key });
    expect(other.status, other.text).toBe(403);
    const nobody = await call(url, 'GET', `/v1/taxpayers/30600000000?cuit=${CUIT}`, { key: pos.key });
    expect(nobody.status, nobody.text).toBe(404);
    const inactive = await call(url, 'GET', `/v1/taxpayers/27222222228?cuit=${CUIT}`, { key: pos.key });
    expect(inactive.json.ivaCondition).toEqual({
      condicionIvaReceptorId: null,
      reason: expect.stringContaining('INACTIVO'),
    });
    const badId = await call(url, 'GET', `/v1/taxpayers/abc?cuit=${CUIT}`, { key: pos.key });
    expect(badId.status, badId.text).toBe(400);
    expect(badId.json.details.map((detail: JsonBody) => detail.field)).toEqual(['idPersona']);
    const badRefresh = await call(url, 'GET', `/v1/taxpayers/20111111112?cuit=${CUIT}&refresh=yes`, {
      key: pos.key,
    });
    expect(badRefresh.status, badRefresh.text).toBe(400);
    expect(badRefresh.json.details.map((detail: JsonBody) => detail.field)).toEqual(['refresh']);
  });
});
