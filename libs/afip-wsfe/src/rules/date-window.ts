import { addDays } from '../dates.js';
import type { CodeMsg } from '../wsfe-types.js';
import { RULE_MESSAGES } from './rule-messages.js';
import { CREDIT_NOTES, DEBIT_NOTES, FCE_TYPES } from './voucher-classes.js';

/**
 * The dates ARCA accepts for a voucher's CbteFch, relative to the submission date N (PROTOCOL.md, 10016 and
 * 10152): products N-5..N+5, services N-10..N+10, FCE N-5..N+1 (its notes N-5..N). Products and FCE dated after N
 * must stay in N's month. `message` is ARCA's 10016 text for a date outside the days.
 */
export interface DateWindow {
  /** Earliest CbteFch, yyyymmdd. */
  from: string;
  /** Latest CbteFch, yyyymmdd (the end of N's month when that comes first, for products and FCE). */
  to: string;
  /** The window in days around N, as ARCA words it. */
  days: { before: number; after: number };
  /** Products and FCE: a date after N must be in N's month (10152). */
  sameMonth: boolean;
  /** ARCA's 10016 observation for a date outside `days`. */
  message: CodeMsg;
}

export function dateWindow(cbteTipo: number, concepto: number, today: string): DateWindow {
  const fce = FCE_TYPES.has(cbteTipo);
  const note = DEBIT_NOTES.has(cbteTipo) || CREDIT_NOTES.has(cbteTipo);
  const [days, message] =
    fce && note
      ? [{ before: 5, after: 0 }, RULE_MESSAGES.dateWindowFceNotes()]
      : fce
        ? [{ before: 5, after: 1 }, RULE_MESSAGES.dateWindowFce()]
        : concepto === 1
          ? [{ before: 5, after: 5 }, RULE_MESSAGES.dateWindowProducts()]
          : [{ before: 10, after: 10 }, RULE_MESSAGES.dateWindowServices()];
  const sameMonth = concepto === 1 || fce;
  const latest = addDays(today, days.after);
  const monthEnd = lastOfMonth(today);
  return {
    from: addDays(today, -days.before),
    to: sameMonth && monthEnd < latest ? monthEnd : latest,
    days,
    sameMonth,
    message,
  };
}

/** The last day of `day`'s month, yyyymmdd. */
function lastOfMonth(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(4, 6));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${day.slice(0, 6)}${String(last).padStart(2, '0')}`;
}
