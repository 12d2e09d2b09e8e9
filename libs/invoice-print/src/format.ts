// How an Argentine invoice spells numbers, dates and identifiers (INVOICE-PRINT.md 2: rows 3, 10, 11).

/** An amount as printed in Argentina: `1.210,00` (thousands with dots, two decimals after a comma). */
export function money(value: number): string {
  const negative = value < 0;
  const cents = Math.round(Math.abs(value) * 100);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${whole},${String(cents % 100).padStart(2, '0')}`;
}

/** A quantity or price with as many decimals as it has, up to `max` (`2`, `0,5`, `1,25`). */
export function decimal(value: number, max = 6): string {
  const fixed = value.toFixed(max).replace(/\.?0+$/, '');
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return fraction ? `${grouped},${fraction}` : grouped;
}

/** `20261130` → `30/11/2026`. */
export function date(yyyymmdd: string): string {
  return `${yyyymmdd.slice(6, 8)}/${yyyymmdd.slice(4, 6)}/${yyyymmdd.slice(0, 4)}`;
}

/** `20123456789` → `20-12345678-9`. */
export function cuit(value: number | string): string {
  const digits = String(value).padStart(11, '0');
  return `${digits.slice(0, 2)}-${digits.slice(2, 10)}-${digits.slice(10)}`;
}

/** Point of sale and number as `00001-00000001` (5 and 8 digits since WSFEv1 manual 2.12). */
export function voucherNumber(ptoVta: number, cbteNro: number): string {
  return `${String(ptoVta).padStart(5, '0')}-${String(cbteNro).padStart(8, '0')}`;
}
