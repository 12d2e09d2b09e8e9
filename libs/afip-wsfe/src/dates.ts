// ARCA's dates: `yyyymmdd` strings in Argentina's time zone (UTC-3 all year, no daylight saving).

const ARGENTINA_OFFSET_MS = -3 * 3_600_000;

/** Calendar fields of `date` in Argentina (UTC-3 all year). */
function argentina(date: Date): Date {
  return new Date(date.getTime() + ARGENTINA_OFFSET_MS);
}

/** `yyyymmdd` in Argentina's time zone. */
export function yyyymmdd(date: Date): string {
  return argentina(date).toISOString().slice(0, 10).replace(/-/g, '');
}

/** `yyyymmddhhmiss` in Argentina's time zone (FchProceso). */
export function yyyymmddhhmmss(date: Date): string {
  return argentina(date).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** ISO 8601 with Argentina's offset and milliseconds: `2026-11-23T20:00:00.000-03:00`. */
export function argentinaIso(date: Date): string {
  return `${argentina(date).toISOString().slice(0, 23)}-03:00`;
}

/** Parses `yyyymmdd` as a date (midnight UTC); undefined when it is not a real calendar date. */
export function parseYyyymmdd(value: string | undefined): Date | undefined {
  if (!value || !/^\d{8}$/.test(value)) return undefined;
  const date = new Date(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || yyyymmddUtc(date) !== value ? undefined : date;
}

export function yyyymmddUtc(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

export function addDays(value: string, days: number): string {
  const date = parseYyyymmdd(value) as Date;
  return yyyymmddUtc(new Date(date.getTime() + days * 86_400_000));
}

/** Whole days from `from` to `to`, both `yyyymmdd`. */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    ((parseYyyymmdd(to) as Date).getTime() - (parseYyyymmdd(from) as Date).getTime()) / 86_400_000,
  );
}
