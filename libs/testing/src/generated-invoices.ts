/** The CUITs generated invoices belong to, in turn. */
export const GENERATED_CUITS = [20123456789, 20111111112, 30712345678, 27222222223] as const;

/**
 * SQL that inserts `count` invoices shaped like a fleet's (4 CUITs x 10 points of sale x 3 types, numbers
 * consecutive per lane, dates over 2025, one in 50 rejected, receivers spread over 3 document types), each with
 * its journal row as POST /v1/invoices leaves it, then ANALYZEs. For EXPLAIN tests, the CSV export and the audit benchmark.
 * Rows for lane g mod 120, number g / 120 + 1; `offset` shifts g so batches can be added.
 */
export function generatedInvoicesSql(count: number, offset = 0): string {
  const from = offset + 1;
  const to = offset + count;
  const cuits = `(ARRAY[${GENERATED_CUITS.join(',')}]::bigint[])`;
  const request = (g: string) => `md5('generated-request-' || ${g})::uuid`;
  return `
    INSERT INTO invoice_request (id, request_hash, state, cuit, pto_vta, cbte_tipo, request, updated_at)
    SELECT ${request('g')}, repeat('0', 64), 'AUTHORIZED', ${cuits}[1 + g % 4], 1 + (g / 4) % 10,
           (ARRAY[1, 6, 11])[1 + (g / 40) % 3], '{"generated": true}'::jsonb, now()
    FROM generate_series(${from}, ${to}) AS g;

    INSERT INTO invoice (id, request_id, cuit, pto_vta, cbte_tipo, cbte_nro, cbte_fch, concepto, doc_tipo, doc_nro,
                         imp_total, imp_neto, imp_iva, mon_id, mon_cotiz, resultado, cae, cae_fch_vto, observaciones)
    SELECT gen_random_uuid(), ${request('g')}, ${cuits}[1 + g % 4], 1 + (g / 4) % 10,
           (ARRAY[1, 6, 11])[1 + (g / 40) % 3], g / 120 + 1,
           to_char(date '2025-01-01' + (g % 365), 'YYYYMMDD'), 1,
           (ARRAY[80, 96, 99])[1 + g % 3], CASE WHEN g % 3 = 2 THEN 0 ELSE 20000000 + g % 9000000 END,
           121.00 + g % 1000, 100.00 + g % 1000, 21.00, 'PES', 1,
           CASE WHEN g % 50 = 0 THEN 'R' ELSE 'A' END,
           CASE WHEN g % 50 = 0 THEN NULL ELSE lpad((70000000000000 + g)::text, 14, '0') END,
           CASE WHEN g % 50 = 0 THEN NULL ELSE '20251231' END,
           '[]'::jsonb
    FROM generate_series(${from}, ${to}) AS g;

    ANALYZE invoice;
    ANALYZE invoice_request;`;
}
