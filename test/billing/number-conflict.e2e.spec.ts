import { describe, expect, it } from 'vitest';
import { InvoiceRepository } from '../../apps/api/src/billing/invoice.repository.js';
import { NumberingLaneRepository } from '../../apps/api/src/billing/lanes/numbering-lane.repository.js';
import { billingWorld, CUIT, facturaB, postInvoice } from './billing-harness.js';

describe('a number ARCA authorizes again: recorded, never lost', () => {
  const world = billingWorld();

  it('stores the new CAE, keeps the earlier record as superseded, and names the conflict in the answer and the trail', async () => {
    const { app, url } = await world.gateway();
    const first = await postInvoice(url, facturaB({}, 15));
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const earlier = first.json.invoices[0];
    const key = { environment: 'sandbox', cuit: CUIT, ptoVta: 15, cbteTipo: 6 };
    // A second journal row, sent under the same number (as after an environment reset ARCA did not tell of).
    const row = await world.db.query<{ id: string }>(
      `INSERT INTO invoice_request (id, request_hash, state, environment, cuit, pto_vta, cbte_tipo, request, updated_at)
       VALUES (gen_random_uuid(), repeat('1', 64), 'SENT', 'sandbox', $1, 15, 6, '{}', now()) RETURNING id`,
      [CUIT],
    );
    const id = row.rows[0]!.id;
    const detail = {
      Concepto: 1,
      DocTipo: 96,
      DocNro: 12345678,
      CbteDesde: 1,
      CbteHasta: 1,
      CbteFch: earlier.cbteFch,
      ImpTotal: 1210,
      ImpTotConc: 0,
      ImpNeto: 1000,
      ImpOpEx: 0,
      ImpTrib: 0,
      ImpIVA: 210,
      MonId: 'PES',
      MonCotiz: 1,
    };
    const answer = {
      Concepto: 1,
      DocTipo: 96,
      DocNro: 12345678,
      CbteDesde: 1,
      CbteHasta: 1,
      CbteFch: earlier.cbteFch,
      Resultado: 'A' as const,
      Observaciones: [],
      CAE: '71111111111111',
      CAEFchVto: '20261210',
    };
    const closing = await app
      .get(NumberingLaneRepository)
      .withLane(key, 5_000, (session) =>
        app
          .get(InvoiceRepository)
          .close(
            session,
            id,
            { state: 'AUTHORIZED', httpStatus: 201, responseBody: { status: 'authorized' }, attempts: 1 },
            [{ sent: detail, answer }],
            { actor: 'test', arcaMs: 1, httpRequestId: 'r' },
          ),
      );
    expect(closing.closed).toBe(true);
    expect(closing.conflicts).toEqual([
      expect.objectContaining({
        cbteNro: 1,
        cae: '71111111111111',
        superseded: expect.objectContaining({ cae: earlier.cae }),
      }),
    ]);
    expect(closing.responseBody).toMatchObject({
      status: 'authorized',
      conflicts: [{ cbteNro: 1, cae: '71111111111111', supersededCae: earlier.cae }],
    });
    const stored = await world.db.query(
      `SELECT cae, superseded_at IS NOT NULL AS superseded, superseded_reason
         FROM invoice WHERE environment = 'sandbox' AND pto_vta = 15 AND cbte_nro = 1 ORDER BY created_at`,
    );
    expect(stored.rows).toEqual([
      { cae: earlier.cae, superseded: true, superseded_reason: expect.stringContaining('71111111111111') },
      { cae: '71111111111111', superseded: false, superseded_reason: null },
    ]);
    const journal = await world.db.query('SELECT state, response_body FROM invoice_request WHERE id = $1', [
      id,
    ]);
    expect(journal.rows[0].state).toBe('AUTHORIZED');
    expect(journal.rows[0].response_body.conflicts).toHaveLength(1);
    const entries = await world.db.query('SELECT kind FROM audit_entry WHERE subject = $1 ORDER BY seq', [
      `invoice_request/${id}`,
    ]);
    expect(entries.rows.map((entry) => entry.kind)).toEqual(['invoice.number_conflict', 'invoice.answered']);
  });
});
