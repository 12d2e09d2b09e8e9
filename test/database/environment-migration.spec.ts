import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '#libs/database';
import { createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from '#libs/testing';

const ENVIRONMENT_MIGRATION = '20261130120000_environment_divergence';

describe('the environment migration', () => {
  let db: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'arca-env-migration-'));
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives existing vouchers their journal row's environment, and 'unknown' where the journal names none", async () => {
    db = await createTestDatabase();
    for (const name of readdirSync(MIGRATIONS_DIR).filter((entry) => entry < ENVIRONMENT_MIGRATION)) {
      cpSync(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
    }
    await applyMigrations(db.url, dir);
    const journal = async (environment: string | null) =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO invoice_request (id, request_hash, environment, cuit, pto_vta, cbte_tipo, request, updated_at)
           VALUES (gen_random_uuid(), repeat('0', 64), $1, 20123456789, 1, 6, '{}', now()) RETURNING id`,
          [environment],
        )
      ).rows[0]!.id;
    const voucher = (requestId: string, cbteNro: number) =>
      db.query(
        `INSERT INTO invoice (id, request_id, cuit, pto_vta, cbte_tipo, cbte_nro, cbte_fch, concepto, doc_tipo, doc_nro,
                              imp_total, imp_neto, imp_iva, mon_id, mon_cotiz, resultado, cae)
         VALUES (gen_random_uuid(), $1, 20123456789, 1, 6, $2::bigint, '20261123', 1, 96, 1, 121, 100, 21, 'PES', 1, 'A',
                 lpad($2::text, 14, '7'))`,
        [requestId, cbteNro],
      );
    await voucher(await journal('homologation'), 1);
    await voucher(await journal('production'), 2);
    await voucher(await journal(null), 3);

    cpSync(join(MIGRATIONS_DIR, ENVIRONMENT_MIGRATION), join(dir, ENVIRONMENT_MIGRATION), {
      recursive: true,
    });
    expect((await applyMigrations(db.url, dir)).applied).toEqual([ENVIRONMENT_MIGRATION]);
    const rows = await db.query(
      `SELECT i.cbte_nro::int AS nro, i.environment, r.environment AS journal, i.superseded_at
         FROM invoice i JOIN invoice_request r ON r.id = i.request_id ORDER BY i.cbte_nro`,
    );
    expect(rows.rows).toEqual([
      { nro: 1, environment: 'homologation', journal: 'homologation', superseded_at: null },
      { nro: 2, environment: 'production', journal: 'production', superseded_at: null },
      { nro: 3, environment: 'unknown', journal: 'unknown', superseded_at: null },
    ]);
  });
});
