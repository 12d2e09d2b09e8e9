import { addDays, parseYyyymmdd, yyyymmdd, yyyymmddUtc } from './dates.js';

/** A CAEA fortnight: `periodo` yyyymm, `orden` 1 (days 1-15) or 2 (16 to the month's end). */
export interface Fortnight {
  periodo: number;
  orden: 1 | 2;
}

/** ARCA takes a CAEA request from this many calendar days before its fortnight starts (RG 5782 art. 4). */
export const CAEA_REQUEST_LEAD_DAYS = 5;

/** The fortnight that holds `day` (yyyymmdd, Argentina). */
export function fortnightOf(day: string): Fortnight {
  return { periodo: Number(day.slice(0, 6)), orden: Number(day.slice(6, 8)) <= 15 ? 1 : 2 };
}

/** The fortnight after `fortnight`. */
export function nextFortnight({ periodo, orden }: Fortnight): Fortnight {
  if (orden === 1) return { periodo, orden: 2 };
  const year = Math.floor(periodo / 100);
  const month = periodo % 100;
  return { periodo: month === 12 ? (year + 1) * 100 + 1 : periodo + 1, orden: 1 };
}

/** First and last day (yyyymmdd) of a fortnight. */
export function fortnightDays({ periodo, orden }: Fortnight): { from: string; to: string } {
  const year = Math.floor(periodo / 100);
  const month = (periodo % 100) - 1;
  const day = (date: Date) => yyyymmddUtc(date);
  return orden === 1
    ? { from: day(new Date(Date.UTC(year, month, 1))), to: day(new Date(Date.UTC(year, month, 15))) }
    : { from: day(new Date(Date.UTC(year, month, 16))), to: day(new Date(Date.UTC(year, month + 1, 0))) };
}

/** The first day ARCA takes a request for the fortnight's CAEA. */
export function requestOpens(fortnight: Fortnight): string {
  return addDays(fortnightDays(fortnight).from, -CAEA_REQUEST_LEAD_DAYS);
}

/**
 * The fortnights whose CAEA can be requested at `now`: the current one, and the next once its window opened. The
 * gateway asks for each as soon as it can, since a CAEA cannot be asked for while ARCA is down.
 */
export function requestableFortnights(now: Date): Fortnight[] {
  const today = yyyymmdd(now);
  const current = fortnightOf(today);
  const next = nextFortnight(current);
  return today >= requestOpens(next) ? [current, next] : [current];
}

/** `yyyymmdd` as a Date at 00:00 in Argentina, for hours-left arithmetic. */
export function argentinaMidnight(day: string): Date {
  const date = parseYyyymmdd(day);
  if (!date) throw new Error(`not a date: ${day}`);
  return new Date(date.getTime() + 3 * 3_600_000);
}

export const fortnightLabel = ({ periodo, orden }: Fortnight) => `${periodo}/${orden}`;
