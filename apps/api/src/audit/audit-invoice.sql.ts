import { Prisma } from '#libs/database';
import type { InvoiceCursor } from './audit-invoice.cursor.js';
import type { AuditInvoicesQueryDto } from './audit-query.dto.js';

export type InvoiceFilter = Omit<AuditInvoicesQueryDto, 'cursor' | 'limit' | 'environment'> & {
  /** One environment per listing: the auditor's choice, or the gateway's own. */
  environment: string;
  /** The CUITs the caller may read; undefined for every CUIT. */
  readable?: string[];
};

/** A row as the listing query returns it. */
export interface InvoiceRow {
  id: string;
  request_id: string;
  environment: string;
  cuit: bigint;
  pto_vta: number;
  cbte_tipo: number;
  cbte_nro: bigint;
  cbte_fch: string;
  concepto: number;
  doc_tipo: number;
  doc_nro: bigint;
  imp_total: Prisma.Decimal;
  imp_neto: Prisma.Decimal;
  imp_iva: Prisma.Decimal;
  mon_id: string;
  mon_cotiz: Prisma.Decimal;
  resultado: string;
  cae: string | null;
  cae_fch_vto: string | null;
  observaciones: unknown;
  created_at: Date;
  superseded_at: Date | null;
  superseded_reason: string | null;
  emision_tipo: string;
  api_key_id: string | null;
  api_key_name: string | null;
}

/**
 * One page of invoices of one environment after the cursor, in listing order: (cuit, pto_vta, cbte_tipo,
 * cbte_nro, id), the key of `invoice_environment_cuit_pto_vta_cbte_tipo_cbte_nro_id_idx` after its environment,
 * so a page is an index range scan whatever the table's size.
 * With a date filter the order is (cuit, pto_vta, cbte_tipo, cbte_fch, cbte_nro, id), served by its own index:
 * the same order for authorized vouchers (ARCA refuses a date before the lane's previous voucher), and PostgreSQL
 * (18's skip scan) jumps in each lane to the dates asked for instead of walking the lane's history.
 * Selective filters (CAE, receiver) use their own index. Every value is a bind parameter.
 */
export function invoicePageSql(
  filter: InvoiceFilter,
  cursor: InvoiceCursor | undefined,
  limit: number,
): Prisma.Sql {
  const key = listingKey(filter);
  const where = conditions(filter);
  if (!cursor) return pageSql(where, key, limit);
  if (!ranged(filter)) return pageSql([...where, after(cursor, key)], key, limit);
  // A range on a column after the lane (dates, numbers) is skipped to lane by lane only when every other
  // condition on the index is an equality or a plain range: a row comparison `(cuit, ...) > (...)` makes
  // PostgreSQL walk every entry from the cursor on. So "after the cursor" becomes four disjoint ranges (rest of
  // the lane, later types of the point of sale, later points of sale of the CUIT, later CUITs), each its own
  // bounded page, merged.
  const parts = laterLanes(cursor).map((lane) => Prisma.sql`(${pageSql([...where, ...lane], key, limit)})`);
  parts.unshift(Prisma.sql`(${pageSql([...where, ...sameLane(cursor), after(cursor, key)], key, limit)})`);
  return Prisma.sql`
    SELECT * FROM (${Prisma.join(parts, ' UNION ALL ')}) AS page
    ORDER BY ${Prisma.raw(key.map((column) => `page.${column}`).join(', '))}
    LIMIT ${limit}`;
}

type Column = 'cuit' | 'pto_vta' | 'cbte_tipo' | 'cbte_fch' | 'cbte_nro' | 'id';

function listingKey(filter: InvoiceFilter): Column[] {
  const dated = filter.cbteFchFrom !== undefined || filter.cbteFchTo !== undefined;
  return dated
    ? ['cuit', 'pto_vta', 'cbte_tipo', 'cbte_fch', 'cbte_nro', 'id']
    : ['cuit', 'pto_vta', 'cbte_tipo', 'cbte_nro', 'id'];
}

/** A range filter on a column that comes after the lane in the listing's index. */
function ranged(filter: InvoiceFilter): boolean {
  return [filter.cbteFchFrom, filter.cbteFchTo, filter.cbteNroFrom, filter.cbteNroTo].some(
    (v) => v !== undefined,
  );
}

function pageSql(where: Prisma.Sql[], key: Column[], limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT i.id, i.request_id, i.environment, i.cuit, i.pto_vta, i.cbte_tipo, i.cbte_nro, i.cbte_fch, i.concepto,
           i.doc_tipo, i.doc_nro, i.imp_total, i.imp_neto, i.imp_iva, i.mon_id, i.mon_cotiz, i.resultado, i.cae,
           i.cae_fch_vto, i.observaciones, i.created_at, i.superseded_at, i.superseded_reason, i.emision_tipo,
           r.api_key_id,
           k.name AS api_key_name
    FROM invoice i
    JOIN invoice_request r ON r.id = i.request_id
    LEFT JOIN api_key k ON k.id = r.api_key_id
    WHERE ${where.length > 0 ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`}
    ORDER BY ${Prisma.raw(key.map((column) => `i.${column}`).join(', '))}
    LIMIT ${limit}`;
}

/** The listing key is greater than the cursor's. */
function after(cursor: InvoiceCursor, key: Column[]): Prisma.Sql {
  const values: Record<Column, Prisma.Sql> = {
    cuit: Prisma.sql`${BigInt(cursor.cuit)}`,
    pto_vta: Prisma.sql`${cursor.ptoVta}`,
    cbte_tipo: Prisma.sql`${cursor.cbteTipo}`,
    cbte_fch: Prisma.sql`${cursor.cbteFch}::char(8)`,
    cbte_nro: Prisma.sql`${BigInt(cursor.cbteNro)}`,
    id: Prisma.sql`${cursor.id}::uuid`,
  };
  const columns = Prisma.raw(key.map((column) => `i.${column}`).join(', '));
  return Prisma.sql`(${columns}) > (${Prisma.join(key.map((column) => values[column]))})`;
}

function sameLane(cursor: InvoiceCursor): Prisma.Sql[] {
  return [
    Prisma.sql`i.cuit = ${BigInt(cursor.cuit)}`,
    Prisma.sql`i.pto_vta = ${cursor.ptoVta}`,
    Prisma.sql`i.cbte_tipo = ${cursor.cbteTipo}`,
  ];
}

/** The lanes after the cursor's, as three disjoint ranges in listing order. */
function laterLanes(cursor: InvoiceCursor): Prisma.Sql[][] {
  const cuit = BigInt(cursor.cuit);
  return [
    [
      Prisma.sql`i.cuit = ${cuit}`,
      Prisma.sql`i.pto_vta = ${cursor.ptoVta}`,
      Prisma.sql`i.cbte_tipo > ${cursor.cbteTipo}`,
    ],
    [Prisma.sql`i.cuit = ${cuit}`, Prisma.sql`i.pto_vta > ${cursor.ptoVta}`],
    [Prisma.sql`i.cuit > ${cuit}`],
  ];
}

function conditions(filter: InvoiceFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`i.environment = ${filter.environment}`];
  if (filter.readable) where.push(Prisma.sql`i.cuit = ANY(${filter.readable.map(BigInt)}::bigint[])`);
  if (filter.cuit !== undefined) where.push(Prisma.sql`i.cuit = ${BigInt(filter.cuit)}`);
  if (filter.ptoVta !== undefined) where.push(Prisma.sql`i.pto_vta = ${filter.ptoVta}`);
  if (filter.cbteTipo !== undefined) where.push(Prisma.sql`i.cbte_tipo = ${filter.cbteTipo}`);
  if (filter.cbteNroFrom !== undefined) where.push(Prisma.sql`i.cbte_nro >= ${BigInt(filter.cbteNroFrom)}`);
  if (filter.cbteNroTo !== undefined) where.push(Prisma.sql`i.cbte_nro <= ${BigInt(filter.cbteNroTo)}`);
  if (filter.cbteFchFrom !== undefined) where.push(Prisma.sql`i.cbte_fch >= ${filter.cbteFchFrom}`);
  if (filter.cbteFchTo !== undefined) where.push(Prisma.sql`i.cbte_fch <= ${filter.cbteFchTo}`);
  if (filter.resultado !== undefined) where.push(Prisma.sql`i.resultado = ${filter.resultado}`);
  if (filter.cae !== undefined) where.push(Prisma.sql`i.cae = ${filter.cae}`);
  if (filter.docTipo !== undefined) where.push(Prisma.sql`i.doc_tipo = ${filter.docTipo}`);
  if (filter.docNro !== undefined) where.push(Prisma.sql`i.doc_nro = ${BigInt(filter.docNro)}`);
  return where;
}
