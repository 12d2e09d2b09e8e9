// The soak's ledger: every sale ends with exactly its vouchers or a refusal, no voucher ARCA authorized is missing
// from the gateway's records, and no number is authorized twice.
import pg from 'pg';

export async function ledger(world, sales) {
  const client = new pg.Client({ connectionString: world.database.url });
  await client.connect();
  try {
    const rows = await client.query(
      `SELECT r.idempotency_key AS key, i.cae FROM invoice i JOIN invoice_request r ON r.id = i.request_id
        WHERE i.resultado = 'A' AND i.superseded_at IS NULL AND r.idempotency_key LIKE 'soak-%'`,
    );
    const byKey = new Map();
    for (const row of rows.rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.cae]);
    const duplicates = await client.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM invoice WHERE resultado = 'A' AND superseded_at IS NULL
        GROUP BY environment, cuit, pto_vta, cbte_tipo, cbte_nro HAVING count(*) > 1) d`,
    );
    const recorded = new Set(
      (await client.query(`SELECT cae FROM invoice WHERE resultado = 'A'`)).rows.map((row) => row.cae),
    );
    const state = await (await fetch(`${world.sandboxUrl}/__sandbox/state`)).json();
    const issued = state.vouchers.filter((voucher) => voucher.cae);
    const result = {
      sales: sales.length,
      vouchers: 0,
      authorized: 0,
      refused: 0,
      unresolved: 0,
      wrongCount: 0,
      mismatchedCae: 0,
    };
    for (const sale of sales) {
      const stored = byKey.get(sale.idempotencyKey) ?? [];
      if (sale.unresolved) result.unresolved += 1;
      else if (sale.status === 201) {
        result.authorized += 1;
        result.vouchers += sale.count;
        if (stored.length !== sale.count) result.wrongCount += 1;
        if (sale.caes.some((cae) => !stored.includes(cae))) result.mismatchedCae += 1;
      } else {
        result.refused += 1;
        if (stored.length !== 0) result.wrongCount += 1;
      }
    }
    return {
      ...result,
      duplicatedNumbers: duplicates.rows[0].n,
      // Authorized by ARCA (the sandbox) and not in the gateway's records.
      lost: issued.filter((voucher) => !recorded.has(voucher.cae)).length,
      arcaVouchers: issued.length,
    };
  } finally {
    await client.end();
  }
}
