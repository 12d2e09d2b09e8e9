import { describe, expect, it } from 'vitest';
import { ContingencyJobs } from '../../apps/api/src/contingency/contingency.jobs.js';
import { billingWorld, call, CUIT, facturaB, type JsonBody, postInvoice } from './billing-harness.js';

const world = billingWorld();
const CONTINGENCY_PTO_VTA = 900;

describe('CAEA contingency across a fortnight boundary (the sandbox clock, which the gateway follows)', () => {
  it('had the next CAEA ahead of time, issues under it, and declares the idle point of sale without movement', async () => {
    // First the gateway's day runs one ahead of ARCA's: it asks for the second fortnight on the 11th, ARCA's 10th.
    world.sandbox.clock.set(new Date('2026-12-10T15:00:00Z'));
    let ahead = 86_400_000;
    const arcaNow = () => world.sandbox.clock.now();
    const { app, url } = await world.gateway(
      {
        now: () => new Date(arcaNow().getTime() + ahead),
        breakerThreshold: 2,
        retryAttempts: 1,
        breakerHalfOpenMs: 300,
      },
      { CAEA_REPORT_INTERVAL_MS: '3600000', CAEA_CHECK_INTERVAL_MS: '3600000' },
      { systemNow: () => arcaNow().getTime() },
    );
    const jobs = app.get(ContingencyJobs);
    world.sandbox.store.registerPoint({ cuit: CUIT, ptoVta: CONTINGENCY_PTO_VTA, emisionTipo: 'CAEA' });
    // Another system (or this database before a restore) reported five vouchers there: the lane follows ARCA.
    world.sandbox.store.seed(CUIT, CONTINGENCY_PTO_VTA, 6, 5, '20261210');
    expect((await postInvoice(url, facturaB())).status).toBe(201);
    await jobs.keep();
    // ARCA refused it (15006: its window opens on the 11th): an error and an audit entry with ARCA's code.
    const refused = await world.db.query<{
      payload: { periodo: number; orden: number; errors: { code: number }[] };
    }>("SELECT payload FROM audit_entry WHERE kind = 'caea.refused'");
    expect(
      refused.rows.map((row) => [row.payload.periodo, row.payload.orden, row.payload.errors[0]!.code]),
    ).toEqual([[202612, 2, 15006]]);
    // On December 13th both fortnights of December can be requested (the second from the 11th).
    world.sandbox.clock.set(new Date('2026-12-13T15:00:00Z'));
    ahead = 0;
    await jobs.keep();
    const caeas = (await call(url, 'GET', '/v1/contingency')).json.cuits[0].caeas as JsonBody[];
    expect(caeas.map((caea) => [caea.periodo, caea.orden, caea.fchVigDesde, caea.fchVigHasta])).toEqual([
      [202612, 2, '20261216', '20261231'],
      [202612, 1, '20261201', '20261215'],
    ]);
    const [second, first] = caeas;

    world.sandbox.clock.set(new Date('2026-12-17T15:00:00Z'));
    const requested = world.calls('FECAEASolicitar');
    await jobs.keep();
    // Nothing to request: the fortnight had its CAEA already, and January's window opens on December 27th.
    expect(world.calls('FECAEASolicitar')).toBe(requested);
    world.sandbox.faults.add({ id: 'down', service: 'wsfe', kind: 'http503', probability: 1 });
    const sale = await postInvoice(url, facturaB());
    expect(sale.json.invoices?.[0], sale.text).toMatchObject({
      emisionTipo: 'CAEA',
      cbteDesde: 6,
      caea: second!.caea,
      cbteFch: '20261217',
      cbteFchHsGen: expect.stringMatching(/^20261217\d{6}$/),
      fchTopeInf: '20270108',
    });
    world.sandbox.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 400));

    const summary = (await call(url, 'POST', '/v1/contingency/report')).json;
    expect(summary).toMatchObject({ reported: 1, withoutMovement: 1, failures: [] });
    // The first fortnight's CAEA issued nothing on the contingency point of sale: declared so, once.
    expect(world.sandbox.store.withoutMovementFor(CUIT, first!.caea, CONTINGENCY_PTO_VTA)).toHaveLength(1);
    expect(world.sandbox.store.withoutMovementFor(CUIT, second!.caea, CONTINGENCY_PTO_VTA)).toHaveLength(0);
    expect((await call(url, 'POST', '/v1/contingency/report')).json).toMatchObject({ withoutMovement: 0 });
    const after = (await call(url, 'GET', '/v1/contingency')).json.cuits[0].caeas as JsonBody[];
    expect(after.find((caea) => caea.orden === 1)!.withoutMovement).toMatchObject([
      { ptoVta: CONTINGENCY_PTO_VTA, resultado: 'A' },
    ]);
    expect(after.find((caea) => caea.orden === 2)!.vouchers).toEqual({ REPORTED: 1 });
  });
});
