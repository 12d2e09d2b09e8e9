import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '#libs/testing';

describe('constraints the migration adds beyond schema.prisma', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.query(
      `INSERT INTO audit_entry (kind, actor, subject, payload, prev_hash, hash)
       VALUES ('test', 'gateway', 's', '{}', repeat('0', 64), repeat('a', 64))`,
    );
  });
  afterAll(() => db.drop());

  it('refuses UPDATE, DELETE and TRUNCATE on the audit trail', async () => {
    await expect(db.query(`UPDATE audit_entry SET kind = 'x'`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(db.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('TRUNCATE audit_entry')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await db.query('SELECT count(*)::int AS n FROM audit_entry')).rows[0]).toEqual({ n: 1 });
  });

  it('lets one number be authorized once per environment and lane among the vouchers ARCA holds', async () => {
    const request = await db.query<{ id: string }>(
      `INSERT INTO invoice_request (id, request_hash, environment, cuit, pto_vta, cbte_tipo, request, updated_at)
       VALUES (gen_random_uuid(), repeat('0', 64), 'sandbox', 20123456789, 1, 6, '{}', now()) RETURNING id`,
    );
    const insert = (resultado: string, ptoVta = 1, environment = 'production') =>
      db.query(
        `INSERT INTO invoice (id, request_id, environment, cuit, pto_vta, cbte_tipo, cbte_nro, cbte_fch, concepto,
                              doc_tipo, doc_nro, imp_total, imp_neto, imp_iva, mon_id, mon_cotiz, resultado)
         VALUES (gen_random_uuid(), $1, $4, 20123456789, $2, 6, 7, '20261123', 1, 96, 1, 121, 100, 21, 'PES', 1, $3)`,
        [request.rows[0]?.id, ptoVta, resultado, environment],
      );
    await insert('R');
    await insert('R');
    await insert('A');
    await expect(insert('A')).rejects.toThrow(/invoice_authorized_number_key/);
    await expect(insert('A', 2)).resolves.toBeDefined();
    // Homologation's number 7 is not production's.
    await expect(insert('A', 1, 'homologation')).resolves.toBeDefined();
    // Once superseded (ARCA no longer holds it), the number can be recorded again as ARCA authorized it.
    await db.query(
      `UPDATE invoice SET superseded_at = now() WHERE environment = 'production' AND pto_vta = 1 AND resultado = 'A'`,
    );
    await expect(insert('A')).resolves.toBeDefined();
  });
});
