import type { JournalRow } from '../journal/invoice-journal.repository.js';

/**
 * What a request does when its API key already used its Idempotency-Key:
 * - `mismatch`: the key came with another body: 409, nothing done;
 * - `replay`: the first request has its final answer (authorized, rejected, or refused for good): answer it again;
 * - `take-over`: the first was never sent (still queued, stalled by a crash, or failed before reaching ARCA): run
 *   it under a new attempt token, so the first can no longer send it;
 * - `settle`: the first was sent and its answer is awaited or lost: its lane settles it, then `replay`.
 */
export type Decision = 'mismatch' | 'replay' | 'take-over' | 'settle';

/**
 * Refusals that say the lane could not take the sale then, not that the sale is wrong: a retry runs again (a
 * resynced lane, a lane's date that has come, a retry that now sends `Allow-Date-Advance: true`).
 */
const LANE_STATE_CODES = new Set(['LANE_DIVERGED', 'LANE_DATE_BLOCKED', 'DATE_ADVANCE_NOT_ALLOWED']);

export function decide(
  row: Pick<JournalRow, 'state' | 'requestHash' | 'httpStatus' | 'responseBody'>,
  requestHash: string,
): Decision {
  if (row.requestHash !== requestHash) return 'mismatch';
  switch (row.state) {
    case 'AUTHORIZED':
    case 'REJECTED':
      return 'replay';
    case 'FAILED': {
      // A 4xx is the answer to this body (a stale number, a date before the lane's); a 5xx left nothing done, and
      // so did a stopped lane, which an admin may have resumed since.
      const code = (row.responseBody as { code?: unknown } | null)?.code;
      const final = row.httpStatus !== null && row.httpStatus < 500 && !LANE_STATE_CODES.has(String(code));
      return final ? 'replay' : 'take-over';
    }
    case 'PENDING':
      return 'take-over';
    case 'SENT':
    case 'UNKNOWN':
      return 'settle';
  }
}
