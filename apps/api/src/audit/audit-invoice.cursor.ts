import type { InvoiceRow } from './audit-invoice.sql.js';

/** Where the previous page ended: the last row's listing key. */
export interface InvoiceCursor {
  cuit: string;
  ptoVta: number;
  cbteTipo: number;
  /** Part of the key only when the listing has a date filter (see invoicePageSql). */
  cbteFch: string;
  cbteNro: string;
  id: string;
}

export function encodeCursor(cursor: InvoiceCursor): string {
  const { cuit, ptoVta, cbteTipo, cbteFch, cbteNro, id } = cursor;
  return Buffer.from(JSON.stringify([cuit, ptoVta, cbteTipo, cbteFch, cbteNro, id])).toString('base64url');
}

/** The cursor, or undefined when it is not one the gateway made. */
export function decodeCursor(text: string): InvoiceCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 6) return undefined;
    const [cuit, ptoVta, cbteTipo, cbteFch, cbteNro, id] = value as unknown[];
    const ok =
      isDigits(cuit) &&
      isInt4(ptoVta) &&
      isInt4(cbteTipo) &&
      typeof cbteFch === 'string' &&
      /^[0-9 ]{0,8}$/.test(cbteFch) &&
      isDigits(cbteNro) &&
      typeof id === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
    return ok
      ? { cuit, ptoVta: ptoVta as number, cbteTipo: cbteTipo as number, cbteFch, cbteNro, id }
      : undefined;
  } catch {
    return undefined;
  }
}

export function cursorOf(row: InvoiceRow): InvoiceCursor {
  return {
    cuit: row.cuit.toString(),
    ptoVta: row.pto_vta,
    cbteTipo: row.cbte_tipo,
    cbteFch: row.cbte_fch,
    cbteNro: row.cbte_nro.toString(),
    id: row.id,
  };
}

const INT8_MAX = 9_223_372_036_854_775_807n;

/** A non-negative bigint as the cursor writes it, within PostgreSQL's int8 (the columns' type). */
function isDigits(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= INT8_MAX;
}

/** A non-negative integer within PostgreSQL's int4. */
function isInt4(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647;
}
