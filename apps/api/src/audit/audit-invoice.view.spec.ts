import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './audit-invoice.cursor.js';
import { type AuditInvoiceView, CSV_HEADER, csvLine } from './audit-invoice.view.js';

const view: AuditInvoiceView = {
  id: '6f90c2b6-6381-48ca-844a-126f19e708dc',
  requestId: 'ce440d45-e0f0-4929-9b2e-6474365824bd',
  environment: 'homologation',
  cuit: '20123456789',
  ptoVta: 1,
  cbteTipo: 6,
  cbteNro: 12,
  cbteFch: '20261123',
  concepto: 1,
  docTipo: 96,
  docNro: 12345678,
  impTotal: '1210.00',
  impNeto: '1000.00',
  impIva: '210.00',
  monId: 'PES',
  monCotiz: '1',
  resultado: 'A',
  emisionTipo: 'CAE',
  cae: '72575261772531',
  caeFchVto: '20261203',
  observaciones: [
    { code: 10217, msg: 'x' },
    { code: 10063, msg: 'y' },
  ],
  createdAt: '2026-11-24T01:42:46.315Z',
  superseded: null,
  apiKey: { id: 'k', name: 'Caja "1", centro' },
};

describe('auditor CSV and cursors', () => {
  it('writes one RFC 4180 line per invoice, quoting what needs it', () => {
    const fields = CSV_HEADER.trimEnd().split(',');
    expect(fields).toHaveLength(23);
    expect(fields.slice(0, 3)).toEqual(['id', 'environment', 'cuit']);
    const line = csvLine(view);
    expect(line.startsWith(`${view.id},homologation,20123456789,`)).toBe(true);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toContain(',10217;10063,');
    expect(line.trimEnd().endsWith(',k,"Caja ""1"", centro"')).toBe(true);
    expect(csvLine({ ...view, cae: null, apiKey: null })).toMatch(/,A,,20261203,,.*,,\r\n$/);
    const superseded = { at: '2026-11-30T12:00:00.000Z', reason: 'resync' };
    expect(csvLine({ ...view, superseded })).toContain(',20261203,2026-11-30T12:00:00.000Z,');
  });

  it('keeps a spreadsheet from running a key name as a formula', () => {
    expect(csvLine({ ...view, apiKey: { id: 'k', name: '=HYPERLINK("x")' } })).toContain(
      `"'=HYPERLINK(""x"")"`,
    );
  });

  it('reads back its own cursors and nothing else', () => {
    const cursor = {
      cuit: '20123456789',
      ptoVta: 1,
      cbteTipo: 6,
      cbteFch: '20261123',
      cbteNro: '12',
      id: view.id,
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    const forged = (fields: unknown[]) => Buffer.from(JSON.stringify(fields)).toString('base64url');
    expect(decodeCursor('bm90LWEtY3Vyc29y')).toBeUndefined();
    expect(decodeCursor(forged(['1', 1, 6, '20261123', '12', "x' OR 1=1"]))).toBeUndefined();
    expect(decodeCursor(forged([1, 1, 6, '20261123', '12', view.id]))).toBeUndefined();
    expect(decodeCursor(forged(['1', 1, 6, "1' OR '1", '12', view.id]))).toBeUndefined();
    // Numbers beyond the columns' types (int8, int4) are refused here, not by PostgreSQL with a 500.
    expect(decodeCursor(forged(['9223372036854775807', 1, 6, '20261123', '12', view.id]))).toBeDefined();
    expect(decodeCursor(forged(['9223372036854775808', 1, 6, '20261123', '12', view.id]))).toBeUndefined();
    expect(decodeCursor(forged(['1', 1, 6, '20261123', '9999999999999999999', view.id]))).toBeUndefined();
    expect(decodeCursor(forged(['1', 2_147_483_648, 6, '20261123', '12', view.id]))).toBeUndefined();
    expect(decodeCursor(forged(['1', 1, -6, '20261123', '12', view.id]))).toBeUndefined();
    // A cursor from before dates were part of the key is refused, not misread.
    expect(decodeCursor(forged(['1', 1, 6, '12', view.id]))).toBeUndefined();
  });
});
