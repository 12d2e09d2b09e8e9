import { Prisma } from '#libs/database';
import type { AuditInvoicesQueryDto } from './audit-query.dto.js';

export type InvoiceFilter = Omit<AuditInvoicesQueryDto, 'cursor' | 'limit'> & {
  /** The CUITs the caller may read; undefined for every CUIT. */
  readable?: string[];
};

/** Where the previous page ended, in listing order. */
export interface InvoiceCursor {
  cuit: string;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: string;
  id: string;
}

/** A row as the listing query returns it. */
export interface InvoiceRow {
  id: string;
  request_id: string;
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
  api_key_id: string | null;
  api_key_name: string | null;
}

export function encodeCursor(cursor: InvoiceCursor): string {
  const { cuit, ptoVta, cbteTipo, cbteNro, id } = cursor;
  return Buffer.from(JSON.stringify([cuit, ptoVta, cbteTipo, cbteNro, id])).toString('base64url');
}

/** The cursor, or undefined when it is not one the gateway made. */
export function decodeCursor(text: string): InvoiceCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 5) return undefined;
    const [cuit, ptoVta, cbteTipo, cbteNro, id] = value as unknown[];
    const ok =
      typeof cuit === 'string' &&
      /^\d{1,19}$/.test(cuit) &&
      Number.isInteger(ptoVta) &&
      Number.isInteger(cbteTipo) &&
      typeof cbteNro === 'string' &&
      /^\d{1,19}$/.test(cbteNro) &&
      typeof id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
    return ok ? { cuit, ptoVta: ptoVta as number, cbteTipo: cbteTipo as number, cbteNro, id } : undefined;
  } catch {
    return undefined;
  }
}

export function cursorOf(row: InvoiceRow): InvoiceCursor {
  return {
    cuit: row.cuit.toString(),
    ptoVta: row.pto_vta,
    cbteTipo: row.cbte_tipo,
    cbteNro: row.cbte_nro.toString(),
    id: row.id,
  };
}

/**
 * One page of invoices in voucher order (cuit, pto_vta, cbte_tipo, cbte_nro, id), after the cursor. The order is
 * the key of `invoice_cuit_pto_vta_cbte_tipo_cbte_nro_id_idx`, so a page is an index range scan whatever the
 * table's size; selective filters (CAE, receiver, dates) use their own index. Every value is a bind parameter.
 */
export function invoicePageSql(
  filter: InvoiceFilter,
  cursor: InvoiceCursor | undefined,
  limit: number,
): Prisma.Sql {
  const where = conditions(filter);
  if (cursor) {
    where.push(
      Prisma.sql`(i.cuit, i.pto_vta, i.cbte_tipo, i.cbte_nro, i.id) > (${BigInt(cursor.cuit)}, ${cursor.ptoVta}, ${cursor.cbteTipo}, ${BigInt(cursor.cbteNro)}, ${cursor.id}::uuid)`,
    );
  }
  return Prisma.sql`
    SELECT i.id, i.request_id, i.cuit, i.pto_vta, i.cbte_tipo, i.cbte_nro, i.cbte_fch, i.concepto, i.doc_tipo,
           i.doc_nro, i.imp_total, i.imp_neto, i.imp_iva, i.mon_id, i.mon_cotiz, i.resultado, i.cae, i.cae_fch_vto,
           i.observaciones, i.created_at, r.api_key_id, k.name AS api_key_name
    FROM invoice i
    JOIN invoice_request r ON r.id = i.request_id
    LEFT JOIN api_key k ON k.id = r.api_key_id
    WHERE ${where.length > 0 ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`}
    ORDER BY i.cuit, i.pto_vta, i.cbte_tipo, i.cbte_nro, i.id
    LIMIT ${limit}`;
}

function conditions(filter: InvoiceFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
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
