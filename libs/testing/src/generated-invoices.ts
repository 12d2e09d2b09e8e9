/** The CUITs generated invoices belong to, in turn. */
export const GENERATED_CUITS = [20123456789, 20111111112, 30712345678, 27222222223] as const;

export interface GeneratedInvoicesOptions {
  /** Shifts the generated rows so batches can be added (lane g mod lanes, number g / lanes + 1). */
  offset?: number;
  /** Vouchers per lane a day (default 23: a year for 1,000,000 rows over 120 lanes). */
  perDay?: number;
  /** Points of sale per CUIT (default 10); fewer make longer lanes. */
  pointsOfSale?: number;
  /** The ARCA environment the rows belong to (default sandbox). */
  environment?: string;
}

/**
 * SQL that inserts `count` invoices shaped like a fleet's (4 CUITs x `pointsOfSale` x 3 types, numbers
 * consecutive per lane, one in 50 rejected, receivers spread over 3 document types), each with its journal row as
 * POST /v1/invoices leaves it, then ANALYZEs. Dates start on 2025-01-01 and advance with the number, `perDay`
 * vouchers per lane a day, as ARCA makes them (a voucher's date is never before its lane's previous one).
 * For EXPLAIN tests, the CSV export and the audit benchmark.
 */
export function generatedInvoicesSql(count: number, options: GeneratedInvoicesOptions = {}): string {
  const { offset = 0, perDay = 23, pointsOfSale = 10, environment = 'sandbox' } = options;
  if (!/^[a-z]+$/.test(environment)) throw new Error(`not an environment: ${environment}`);
  const from = offset + 1;
  const to = offset + count;
  const lanes = 4 * pointsOfSale * 3;
  const cuits = `(ARRAY[${GENERATED_CUITS.join(',')}]::bigint[])`;
  const lane = `${cuits}[1 + g % 4], 1 + (g / 4) % ${pointsOfSale}, (ARRAY[1, 6, 11])[1 + (g / ${4 * pointsOfSale}) % 3]`;
  const request = (g: string) => `md5('generated-request-' || ${g})::uuid`;
  return `
    INSERT INTO invoice_request (id, request_hash, state, environment, cuit, pto_vta, cbte_tipo, request, updated_at)
    SELECT ${request('g')}, repeat('0', 64), 'AUTHORIZED', '${environment}', ${lane}, '{"generated": true}'::jsonb,
           now()
    FROM generate_series(${from}, ${to}) AS g;

    INSERT INTO invoice (id, request_id, environment, cuit, pto_vta, cbte_tipo, cbte_nro, cbte_fch, concepto,
                         doc_tipo, doc_nro, imp_total, imp_neto, imp_iva, mon_id, mon_cotiz, resultado, cae,
                         cae_fch_vto, observaciones)
    SELECT gen_random_uuid(), ${request('g')}, '${environment}', ${lane}, g / ${lanes} + 1,
           to_char(date '2025-01-01' + (g / ${lanes}) / ${perDay}, 'YYYYMMDD'), 1,
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
