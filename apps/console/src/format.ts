/** How the console writes numbers, dates and vouchers. Pure functions, no DOM: test/console/format.spec.ts. */

export type Language = 'es' | 'en';

/** ARCA's voucher number as printed: point of sale (5 digits) and number (8 digits). */
export function voucherNumber(ptoVta: number, cbteNro: number): string {
  return `${String(ptoVta).padStart(5, '0')}-${String(cbteNro).padStart(8, '0')}`;
}

const TYPES: Record<number, string> = {
  1: 'Factura A',
  2: 'Nota de Débito A',
  3: 'Nota de Crédito A',
  6: 'Factura B',
  7: 'Nota de Débito B',
  8: 'Nota de Crédito B',
  11: 'Factura C',
  12: 'Nota de Débito C',
  13: 'Nota de Crédito C',
  51: 'Factura M',
  201: 'Factura de Crédito Electrónica MiPyMEs A',
  206: 'Factura de Crédito Electrónica MiPyMEs B',
  211: 'Factura de Crédito Electrónica MiPyMEs C',
};

/** The voucher type's name (ARCA's names are Spanish in both languages), or its code. */
export function voucherType(cbteTipo: number): string {
  return TYPES[cbteTipo] ?? `Tipo ${cbteTipo}`;
}

/** yyyymmdd (ARCA's dates) as dd/mm/yyyy or yyyy-mm-dd. */
export function arcaDate(value: string | null | undefined, language: Language): string {
  if (!value || !/^\d{8}$/.test(value)) return value ?? '';
  const [year, month, day] = [value.slice(0, 4), value.slice(4, 6), value.slice(6, 8)];
  return language === 'es' ? `${day}/${month}/${year}` : `${year}-${month}-${day}`;
}

/** yyyy-mm-dd (a date input) as yyyymmdd, and back. */
export const toArcaDate = (value: string): string => value.replaceAll('-', '');
export const fromArcaDate = (value: string | undefined): string =>
  value && /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : '';

/** An ISO instant in the reader's time zone, to the minute. */
export function instant(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language === 'es' ? 'es-AR' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(date);
}

/**
 * An exact decimal amount ("1234567.50") grouped for reading, without passing through a float: "1.234.567,50"
 * in Spanish, "1,234,567.50" in English.
 */
export function amount(value: string, language: Language): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, whole, fraction] = match;
  const [group, decimal] = language === 'es' ? ['.', ','] : [',', '.'];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${grouped}${fraction === undefined ? '' : decimal + fraction}`;
}

/** Whole days from `now` until an instant or yyyymmdd date (negative once past). */
export function daysUntil(value: string, now: Date): number {
  const at = /^\d{8}$/.test(value)
    ? Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8), 23, 59, 59)
    : new Date(value).getTime();
  return Math.floor((at - now.getTime()) / 86_400_000);
}

/** Whole hours from `now` until an instant (negative once past): a WSAA ticket lives 12 hours. */
export function hoursUntil(value: string, now: Date): number {
  return Math.floor((new Date(value).getTime() - now.getTime()) / 3_600_000);
}

/** A list typed by a person ("20123456789, 20987654321") as numbers; undefined names the first bad entry. */
export function numberList(text: string): { values: number[]; bad?: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = parts.find((part) => !/^\d{1,11}$/.test(part));
  return { values: bad ? [] : parts.map(Number), bad };
}
