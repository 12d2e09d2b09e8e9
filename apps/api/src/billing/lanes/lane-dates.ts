import { dateWindow } from '#libs/afip-wsfe';
import { AppError } from '../../common/app-error.js';
import type { InvoiceDetailDto } from '../invoice-detail.dto.js';
import type { LaneKey } from './numbering-lane.repository.js';

// The dates a lane sends its vouchers with. ARCA refuses a voucher dated before the last one authorized on its
// point of sale and type (10016), so a voucher dated ahead blocks every earlier date for every terminal sharing
// the lane. The lane refuses what ARCA would refuse, dates what the POS left undated as early as ARCA allows,
// and moves its date forward only when the request says so (`Allow-Date-Advance: true`).

const DETAILS = 'FeCAEReq.FeDetReq.FECAEDetRequest';

/** The lane's last authorized voucher: its number, and its date when known. */
export interface LaneTip {
  number: number;
  date?: string;
}

export type Dating = { dates: string[] } | { error: AppError };

/**
 * Each detail's CbteFch, or why the lane cannot take the request: a date before the lane's (LANE_DATE_BLOCKED),
 * or a date after both today and the lane's without the request's consent (DATE_ADVANCE_NOT_ALLOWED). An undated
 * detail gets today, or the lane's date when that is later and inside the concept's window.
 */
export function dateDetails(
  key: LaneKey,
  details: InvoiceDetailDto[],
  today: string,
  tip: LaneTip,
  allowAdvance: boolean,
): Dating {
  const dates: string[] = [];
  let floor = tip.date ?? '';
  for (const [index, detail] of details.entries()) {
    const field = `${DETAILS}.${index}.CbteFch`;
    const given = detail.CbteFch;
    if (given !== undefined) {
      if (tip.date && given < tip.date) {
        const advice = `date the voucher on or after ${tip.date}, or issue it on another point of sale`;
        return { error: blocked(key, tip, field, `CbteFch ${given}`, advice, today) };
      }
      const current = floor > today ? floor : today;
      if (given > current && !allowAdvance) {
        return { error: advanceRefused(key, tip, field, given, today) };
      }
      dates.push(given);
    } else {
      const earliest = floor > today ? floor : today;
      const window = dateWindow(key.cbteTipo, detail.Concepto, today);
      if (earliest > window.to) {
        const advice =
          `a voucher of Concepto ${detail.Concepto} may be dated at most ${window.to} today, so this point of sale ` +
          `cannot take it until ${earliest} is within that window: issue it on another point of sale`;
        return { error: blocked(key, tip, field, 'a voucher without CbteFch', advice, today) };
      }
      if (detail.FchVtoPago !== undefined && detail.FchVtoPago < earliest) {
        const advice =
          `its FchVtoPago ${detail.FchVtoPago} would be before its date (ARCA 10035): send a FchVtoPago on or ` +
          `after ${earliest}, or issue it on another point of sale`;
        const what = 'a voucher without CbteFch';
        return { error: blocked(key, tip, `${DETAILS}.${index}.FchVtoPago`, what, advice, today) };
      }
      dates.push(earliest);
    }
    floor = dates.at(-1)!;
  }
  return { dates };
}

/** The 409 of a voucher ARCA would refuse for its date: which voucher sets the lane's date, and what to do. */
function blocked(
  key: LaneKey,
  tip: LaneTip,
  field: string,
  what: string,
  advice: string,
  today: string,
): AppError {
  const date = tip.date ?? today;
  return new AppError(
    'LANE_DATE_BLOCKED',
    `${field}: ${what} cannot be issued on ${lane(key)}: its last voucher, number ${tip.number}, is dated ` +
      `${date}, and ARCA refuses any later voucher of this point of sale and type dated before it (10016). ` +
      `The lane accepts vouchers dated ${date} or later: ${advice}. Nothing was sent to ARCA.`,
    { field, lastCbteNro: tip.number, lastCbteFch: date, acceptsFrom: date },
  );
}

/** The 409 of a voucher dated ahead without `Allow-Date-Advance: true`: what it would do to the lane. */
function advanceRefused(key: LaneKey, tip: LaneTip, field: string, given: string, today: string): AppError {
  const current = tip.date && tip.date > today ? `the lane's last date ${tip.date}` : `today (${today})`;
  return new AppError(
    'DATE_ADVANCE_NOT_ALLOWED',
    `${field}: CbteFch ${given} is after ${current}. Once ARCA authorizes it, ARCA refuses every voucher of ` +
      `${lane(key)} dated before ${given}, for every terminal that shares it: sales of products (dated at most ` +
      `5 days ahead and within the month) may stop until ${given}. Send the header Allow-Date-Advance: true to ` +
      'issue it anyway, or issue post-dated vouchers on a point of sale of their own. Nothing was sent to ARCA.',
    { field, cbteFch: given, today, lastCbteFch: tip.date ?? null },
  );
}

function lane(key: LaneKey): string {
  return `point of sale ${key.ptoVta}, type ${key.cbteTipo} of CUIT ${key.cuit}`;
}
