// What a voucher type prints as: its letter and name (FEParamGetTiposCbte, INVOICE-PRINT.md 4 and 6).

export type PrintedLetter = 'A' | 'B' | 'C';

const NAMES: Record<number, string> = {
  1: 'FACTURA',
  2: 'NOTA DE DÉBITO',
  3: 'NOTA DE CRÉDITO',
  4: 'RECIBO',
  5: 'NOTA DE VENTA AL CONTADO',
  6: 'FACTURA',
  7: 'NOTA DE DÉBITO',
  8: 'NOTA DE CRÉDITO',
  9: 'RECIBO',
  10: 'NOTA DE VENTA AL CONTADO',
  11: 'FACTURA',
  12: 'NOTA DE DÉBITO',
  13: 'NOTA DE CRÉDITO',
  15: 'RECIBO',
  51: 'FACTURA',
  52: 'NOTA DE DÉBITO',
  53: 'NOTA DE CRÉDITO',
  54: 'RECIBO',
  201: 'FACTURA DE CRÉDITO ELECTRÓNICA MiPyME',
  202: 'NOTA DE DÉBITO ELECTRÓNICA MiPyME',
  203: 'NOTA DE CRÉDITO ELECTRÓNICA MiPyME',
  206: 'FACTURA DE CRÉDITO ELECTRÓNICA MiPyME',
  207: 'NOTA DE DÉBITO ELECTRÓNICA MiPyME',
  208: 'NOTA DE CRÉDITO ELECTRÓNICA MiPyME',
  211: 'FACTURA DE CRÉDITO ELECTRÓNICA MiPyME',
  212: 'NOTA DE DÉBITO ELECTRÓNICA MiPyME',
  213: 'NOTA DE CRÉDITO ELECTRÓNICA MiPyME',
};

const LETTERS: Record<PrintedLetter, readonly number[]> = {
  // 51-54 were class M; since 2025-12-01 (RG 5762) they print as A with the legend "OPERACIÓN SUJETA A RETENCIÓN".
  A: [1, 2, 3, 4, 5, 51, 52, 53, 54, 201, 202, 203],
  B: [6, 7, 8, 9, 10, 206, 207, 208],
  C: [11, 12, 13, 15, 211, 212, 213],
};

/** Types with "OPERACIÓN SUJETA A RETENCIÓN" under the letter (ex class M). */
export const WITHHOLDING_TYPES = new Set([51, 52, 53, 54]);

/** The printed letter and name of a type the gateway can print, or undefined for others (49, 60s, E). */
export function printedType(cbteTipo: number): { letter: PrintedLetter; name: string } | undefined {
  const letter = (Object.keys(LETTERS) as PrintedLetter[]).find((key) => LETTERS[key].includes(cbteTipo));
  const name = NAMES[cbteTipo];
  return letter && name ? { letter, name } : undefined;
}
