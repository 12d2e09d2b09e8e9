import type { InvoiceRow } from './audit-invoice.sql.js';

/** An invoice as the auditor API shows it: amounts as exact decimal strings, CUIT as a string. */
export interface AuditInvoiceView {
  id: string;
  requestId: string;
  /** The ARCA environment that answered: sandbox, homologation, production (unknown for old rows). */
  environment: string;
  cuit: string;
  ptoVta: number;
  cbteTipo: number;
  cbteNro: number;
  cbteFch: string;
  concepto: number;
  docTipo: number;
  docNro: number;
  impTotal: string;
  impNeto: string;
  impIva: string;
  monId: string;
  monCotiz: string;
  resultado: string;
  /** CAE, or CAEA for a voucher issued in contingency (its `cae` then holds the CAEA). */
  emisionTipo: string;
  cae: string | null;
  caeFchVto: string | null;
  observaciones: { code: number; msg: string }[];
  createdAt: string;
  /** Set when ARCA no longer holds this voucher (its environment reset and the lane resynced, or the number
   * authorized again): kept for the record, not a voucher ARCA holds. */
  superseded: { at: string; reason: string } | null;
  /** The API key that asked for it: which terminal, which branch. */
  apiKey: { id: string; name: string | null } | null;
}

export function toAuditView(row: InvoiceRow): AuditInvoiceView {
  return {
    id: row.id,
    requestId: row.request_id,
    environment: row.environment,
    cuit: row.cuit.toString(),
    ptoVta: row.pto_vta,
    cbteTipo: row.cbte_tipo,
    cbteNro: Number(row.cbte_nro),
    cbteFch: row.cbte_fch,
    concepto: row.concepto,
    docTipo: row.doc_tipo,
    docNro: Number(row.doc_nro),
    impTotal: row.imp_total.toFixed(2),
    impNeto: row.imp_neto.toFixed(2),
    impIva: row.imp_iva.toFixed(2),
    monId: row.mon_id,
    monCotiz: row.mon_cotiz.toString(),
    resultado: row.resultado,
    emisionTipo: row.emision_tipo,
    cae: row.cae,
    caeFchVto: row.cae_fch_vto,
    observaciones: (row.observaciones ?? []) as { code: number; msg: string }[],
    createdAt: row.created_at.toISOString(),
    superseded: row.superseded_at
      ? { at: row.superseded_at.toISOString(), reason: row.superseded_reason ?? '' }
      : null,
    apiKey: row.api_key_id ? { id: row.api_key_id, name: row.api_key_name } : null,
  };
}

const CSV_COLUMNS: [string, (view: AuditInvoiceView) => string | number | null][] = [
  ['id', (view) => view.id],
  ['environment', (view) => view.environment],
  ['cuit', (view) => view.cuit],
  ['ptoVta', (view) => view.ptoVta],
  ['cbteTipo', (view) => view.cbteTipo],
  ['cbteNro', (view) => view.cbteNro],
  ['cbteFch', (view) => view.cbteFch],
  ['resultado', (view) => view.resultado],
  ['cae', (view) => view.cae],
  ['caeFchVto', (view) => view.caeFchVto],
  ['supersededAt', (view) => view.superseded?.at ?? null],
  ['docTipo', (view) => view.docTipo],
  ['docNro', (view) => view.docNro],
  ['impTotal', (view) => view.impTotal],
  ['impNeto', (view) => view.impNeto],
  ['impIva', (view) => view.impIva],
  ['monId', (view) => view.monId],
  ['monCotiz', (view) => view.monCotiz],
  ['observaciones', (view) => view.observaciones.map((item) => item.code).join(';')],
  ['createdAt', (view) => view.createdAt],
  ['requestId', (view) => view.requestId],
  ['apiKeyId', (view) => view.apiKey?.id ?? null],
  ['apiKeyName', (view) => view.apiKey?.name ?? null],
];

export const CSV_HEADER = `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;

/** One RFC 4180 line. Text a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote. */
export function csvLine(view: AuditInvoiceView): string {
  return `${CSV_COLUMNS.map(([, read]) => csvField(read(view))).join(',')}\r\n`;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
