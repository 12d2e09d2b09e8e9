import { Injectable, Logger } from '@nestjs/common';
import { type FECAEDetRequest, type FECAEResponse, WsfeClient } from '#libs/afip-wsfe';
import type { AuditRecord } from '../../audit/audit-entry.repository.js';
import { AppError } from '../../common/app-error.js';
import { connectionLost, isConnectionLoss, isSaturation, saturated } from '../../common/saturation.js';
import { BillingMetrics } from '../billing.metrics.js';
import type { InvoiceDetailDto } from '../invoice-detail.dto.js';
import { toWsfeDetail } from '../invoice-mapping.js';
import { attemptKey, InvoiceJournalRepository } from '../journal/invoice-journal.repository.js';
import type { InvoiceResponseDto } from '../invoice-response.dto.js';
import { invoiceResponse } from '../invoice-response.js';
import { type CloseItem, InvoiceRepository } from '../invoice.repository.js';
import { alarmConflicts } from '../number-conflict.alarm.js';
import { type LaneKey, type LaneSession, laneName } from './numbering-lane.repository.js';
import { Reconciler } from '../reconciliation/reconciler.service.js';
import { LostCalls } from './lost-calls.service.js';
import { WsfeCalls } from '../wsfe-calls.service.js';
import { isNumberingRefusal, splitResult } from './batch-plan.js';
import { type Dating, dateDetails, type LaneTip } from './lane-dates.js';

/** One attempt at a journal row: the row, the token that owns it, what to send, and who asked. */
export interface Attempt {
  id: string;
  token: string;
  details: InvoiceDetailDto[];
  /** Today in Argentina: CbteFch when the POS leaves it out, unless the lane's date is later. */
  today: string;
  /** The request sent `Allow-Date-Advance: true`: it may date vouchers after today and after the lane's date. */
  allowDateAdvance: boolean;
  /** Where each detail's CondicionIVAReceptorId came from (`request`, `registry`, `DocTipo 99`). */
  receiverSources?: string[];
  actor: string;
  httpRequestId: string;
  /** The row's `invoice.requested` entry when not written yet: it goes with the row's first close. */
  requested?: AuditRecord;
}

export interface Answer {
  httpStatus: number;
  body: InvoiceResponseDto;
  arcaMs: number;
}

/**
 * How an attempt ended in its lane: ARCA's answer, or an error with the journal move it implies: from PENDING
 * (nothing sent) or SENT, to FAILED (ARCA certainly did not process it) or UNKNOWN (in doubt).
 */
export type LaneOutcome =
  { ok: Answer } | { error: AppError; from: 'PENDING' | 'SENT'; to: 'FAILED' | 'UNKNOWN'; arcaMs: number };

/** An attempt numbered for a call: its details as sent. */
interface Numbered {
  attempt: Attempt;
  sent: FECAEDetRequest[];
}

/** How many times a batch's unprocessed tail (after a rejection mid-batch) is renumbered and sent again. */
const MAX_ROUNDS = 50;

/**
 * Inside a lane, for a batch of attempts: settle the lane's vouchers in doubt, number the batch consecutively,
 * commit the numbers (SENT, one statement), send one FECAESolicitar, and store every answer in the lane's
 * transaction (one UPDATE, one INSERT of vouchers, one of audit entries). After a rejection mid-batch, the
 * requests ARCA did not process are renumbered and sent again at once. Never throws ARCA's failures, so the
 * lane's state is committed whatever happened; each attempt gets its own outcome.
 */
@Injectable()
export class BatchSender {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly journal: InvoiceJournalRepository,
    private readonly invoices: InvoiceRepository,
    private readonly reconciler: Reconciler,
    private readonly lostCalls: LostCalls,
    private readonly metrics: BillingMetrics,
  ) {}

  /** `leaving`: called each time a FECAESolicitar of this batch is handed to ARCA's client. */
  async send(session: LaneSession, attempts: Attempt[], leaving?: () => void): Promise<LaneOutcome[]> {
    const { key } = session;
    const outcomes = new Map<Attempt, LaneOutcome>();
    const first = attempts[0]!;
    const who = { actor: first.actor, httpRequestId: first.httpRequestId };
    let arcaMs = 0;
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await call();
      } finally {
        arcaMs += performance.now() - started;
      }
    };
    const failAll = (error: AppError, from: 'PENDING' | 'SENT', list: Attempt[]) => {
      for (const attempt of list) outcomes.set(attempt, { error, from, to: 'FAILED', arcaMs });
    };
    const finish = () => attempts.map((attempt) => outcomes.get(attempt)!);

    const state = await session.state();
    if (state?.divergence) {
      failAll(divergedError(key, state.divergence), 'PENDING', attempts);
      return finish();
    }
    // The journal says whether the lane has vouchers in doubt (one query with the state); a lane without a row
    // yet (its first call may have died before committing one) is looked at the long way.
    const blocking =
      !state || state.inDoubt ? await timed(() => this.reconciler.settleLane(session, who)) : undefined;
    if (blocking) {
      const number = blocking.sentRequest?.[0]?.CbteDesde;
      failAll(
        new AppError(
          'UNAVAILABLE',
          `voucher ${number} of ${laneName(key)} was sent to ARCA and its answer lost, and ARCA cannot be asked about ` +
            'it now: the lane numbers nothing until it is settled; nothing was sent for this request',
          undefined,
          { retryAfterSeconds: 10, arcaDown: true },
        ),
        'PENDING',
        attempts,
      );
      return finish();
    }
    // Settling a doubt leaves the lane unsynced: ARCA is asked its last number (and that voucher's date) again.
    const synced =
      state?.synced === true && !state.inDoubt && (state.lastNumber === 0 || state.lastFch !== undefined);
    let tip: LaneTip;
    try {
      tip = synced ? { number: state.lastNumber, date: state.lastFch } : await timed(() => this.laneTip(key));
    } catch (error) {
      failAll(asAppError(error), 'PENDING', attempts);
      return finish();
    }
    let last = tip.number;
    let lastFch = tip.date;
    if (!synced) {
      const divergence = await this.diverged(session, last, first.actor);
      if (divergence) {
        failAll(divergence, 'PENDING', attempts);
        return finish();
      }
    }
    // With a synced lane no voucher above its last number has a record yet: the look for conflicts can be skipped.
    const recordedUpTo = synced ? state.lastNumber : undefined;
    // What the lane can take as it stands, and the dates it sends them with; the rest are refused here, unsent.
    const dates = new Map<Attempt, string[]>();
    const admit = (list: Attempt[], from: 'PENDING' | 'SENT') =>
      list.filter((attempt) => {
        const admitted = admission(key, attempt, { number: last, date: lastFch });
        if ('error' in admitted) outcomes.set(attempt, { error: admitted.error, from, to: 'FAILED', arcaMs });
        else dates.set(attempt, admitted.dates);
        return 'dates' in admitted;
      });
    let pending = admit(attempts, 'PENDING');
    let numberingUnsure = false;
    let caughtUp = false;
    for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round += 1) {
      let numbered = numberAll(pending, last, dates);
      const sentAt = new Date();
      const moved = await this.journal.markAllSent(
        numbered.map(({ attempt, sent }) => ({ id: attempt.id, token: attempt.token, sent })),
        sentAt,
      );
      const owns = (attempt: Attempt) => moved.has(attemptKey(attempt.id, attempt.token));
      if (moved.size < numbered.length) {
        // A retry with the same Idempotency-Key took some over (its own attempt may be in this very batch): they are
        // not sent; the rest are renumbered.
        for (const { attempt } of numbered.filter(({ attempt }) => !owns(attempt))) {
          outcomes.set(attempt, { error: takenOver(), from: 'PENDING', to: 'FAILED', arcaMs });
        }
        pending = pending.filter(owns);
        if (pending.length === 0) break;
        numbered = numberAll(pending, last, dates);
        await this.journal.markAllSent(
          numbered.map(({ attempt, sent }) => ({ id: attempt.id, token: attempt.token, sent })),
          sentAt,
        );
      }
      let result: FECAEResponse;
      // How many times this call went to ARCA: its retries (after a 503 or ARCA's 500-502) carry the same numbers.
      let tries = 0;
      // Does ARCA hold this call's first voucher (a try processed after all)? Undefined: ARCA cannot be asked.
      const heldByArca = () => timed(() => this.lostCalls.arcaHolds(key, numbered[0]!.sent[0]!));
      // The answer was lost: ARCA's last number and its record of the numbers say what happened, here and now.
      const settleAsLost = async (lost: AppError) => {
        await session.save({ lastNumber: last, lastFch, synced: false });
        const settled = await this.lostCalls.settle(session, pending, lost, () => arcaMs, timed);
        for (const [attempt, outcome] of settled) outcomes.set(attempt, outcome);
        return finish();
      };
      try {
        result = await timed(() => {
          const answer = this.authorize(
            key,
            numbered.flatMap(({ sent }) => sent),
            () => (tries += 1),
          );
          leaving?.();
          return answer;
        });
      } catch (error) {
        const failure = asAppError(error);
        // Only a lost answer leaves a doubt: every other failure is a call ARCA is taken not to have processed. Sent
        // more than once (each try a 503 or ARCA's 500-502), it is checked first: ARCA holding this very voucher
        // means a try was processed after all; ARCA not answering leaves the assumption standing.
        if (failure.code === 'AFIP_TIMEOUT' || (tries > 1 && (await heldByArca()) === true))
          return settleAsLost(failure);
        await session.save({ lastNumber: last, lastFch, synced: false });
        failAll(failure, 'SENT', pending);
        return finish();
      }
      const refused = isNumberingRefusal(result);
      // A retry refused for numbers an earlier try of this very call took: that try was processed after all (a 503
      // or 500-502 sent after ARCA had authorized), or may have been when ARCA cannot be asked. Settled as lost.
      if (refused && tries > 1 && (await heldByArca()) !== false) {
        return settleAsLost(
          new AppError(
            'AFIP_TIMEOUT',
            `FECAESolicitar was sent ${tries} times and ARCA refused the last for numbers an earlier try took; ` +
              "that try's answer is lost and ARCA cannot be asked about it now",
            undefined,
            { retryAfterSeconds: 5 },
          ),
        );
      }
      if (refused && !caughtUp && numbered.every(({ attempt }) => !isNumbered(attempt))) {
        // ARCA's numbering moved without this lane: ahead of it (another system issued on this point of sale), the
        // lane catches up once; behind the gateway's own records (ARCA was reset), the lane stops.
        caughtUp = true;
        const arca = await timed(() => this.laneTip(key)).catch(() => ({ number: last, date: lastFch }));
        const divergence = await this.diverged(session, arca.number, first.actor);
        // 10016 is a refusal of the whole call: nothing of it was authorized.
        if (divergence) {
          failAll(divergence, 'SENT', pending);
          return finish();
        }
        this.logger.warn(`lane ${laneName(key)} was behind ARCA at ${last}: renumbering from ${arca.number}`);
        last = arca.number;
        lastFch = arca.date;
        // ARCA's last voucher may be dated later than the lane knew: the dates are decided again.
        pending = admit(pending, 'SENT');
        continue;
      }
      // Refused for its numbers again (or POS-numbered): every request gets ARCA's refusal as its answer.
      if (refused) numberingUnsure = true;
      const split = splitResult(
        result,
        numbered.map(({ sent }) => sent.length),
        refused,
      );
      const closes: (CloseItem & { response: { httpStatus: number; body: InvoiceResponseDto } })[] = [];
      const tail: Attempt[] = [];
      numbered.forEach(({ attempt, sent }, index) => {
        const part = split[index]!;
        if (part.kind === 'not-processed') {
          tail.push(attempt);
          return;
        }
        const response = invoiceResponse(
          { cuit: key.cuit, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo },
          sent,
          part.result,
          attempt.httpRequestId,
          attempt.receiverSources,
        );
        const authorized = part.result.FeDetResp.some((item) => item.Resultado === 'A');
        closes.push({
          id: attempt.id,
          response,
          outcome: {
            state: authorized ? 'AUTHORIZED' : 'REJECTED',
            cbteDesde: sent[0]!.CbteDesde,
            cbteHasta: sent.at(-1)!.CbteHasta,
            afipResponse: part.result,
            httpStatus: response.httpStatus,
            responseBody: response.body,
            attempts: round + 1,
            sentAt,
          },
          vouchers: part.result.FeDetResp.map((answer, at) => ({ sent: sent[at]!, answer })),
          audit: { actor: attempt.actor, arcaMs, httpRequestId: attempt.httpRequestId },
          requested: attempt.requested,
        });
      });
      const closings = await this.invoices.closeAll(session, closes, recordedUpTo);
      closes.forEach((close, index) => {
        const attempt = numbered.find(({ attempt: item }) => item.id === close.id)!.attempt;
        const closing = closings[index]!;
        this.metrics.outcome(close.outcome.state);
        alarmConflicts(closing.conflicts, key, this.logger, this.metrics);
        outcomes.set(attempt, {
          ok: {
            httpStatus: close.response.httpStatus,
            body: closing.responseBody as InvoiceResponseDto,
            arcaMs,
          },
        });
      });
      const authorized = result.FeDetResp.filter((item) => item.Resultado === 'A');
      const newest = authorized.at(-1);
      if (newest) {
        last = newest.CbteHasta;
        lastFch = newest.CbteFch;
      }
      this.metrics.batch(numbered.length, result.FeDetResp.length);
      this.logger.log(
        `${laneName(key)} numbers=${numbered[0]!.sent[0]!.CbteDesde}-${numbered.at(-1)!.sent.at(-1)!.CbteHasta}: ` +
          `${authorized.length} of ${result.FeDetResp.length} authorized in one call (${numbered.length} request(s))` +
          (tail.length > 0 ? `; ${tail.length} not processed after a rejection, sent again` : ''),
      );
      pending = tail;
    }
    failAll(
      new AppError(
        'UNAVAILABLE',
        'the lane could not finish this request; nothing was issued for it',
        undefined,
        {
          retryAfterSeconds: 2,
        },
      ),
      'SENT',
      pending,
    );
    await session.save({ lastNumber: last, lastFch, synced: !numberingUnsure });
    return finish();
  }

  /**
   * The lane just learnt ARCA's last number: below the highest number the gateway recorded as authorized (in this
   * environment), ARCA's records were reset or the database served another environment. The lane stops.
   */
  private async diverged(
    session: LaneSession,
    arcaLast: number,
    actor: string,
  ): Promise<AppError | undefined> {
    const gatewayLast = await this.invoices.highestAuthorized(session);
    if (arcaLast >= gatewayLast) return undefined;
    const divergence = await session.diverge(arcaLast, gatewayLast, actor);
    this.logger.error(
      `lane ${laneName(session.key)} (${session.key.environment}) DIVERGED: ARCA's last authorized number is ` +
        `${arcaLast}, the gateway recorded ${gatewayLast}; it numbers nothing until an admin resyncs it`,
    );
    return divergedError(session.key, divergence);
  }

  /** ARCA's last number for the lane and that voucher's date (FECompUltimoAutorizado, then FECompConsultar). */
  private async laneTip(key: LaneKey): Promise<LaneTip> {
    const number = await this.calls.run(key.cuit, (auth) =>
      this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo),
    );
    if (number === 0) return { number };
    const voucher = await this.calls.run(key.cuit, (auth) =>
      this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, number),
    );
    return { number, date: voucher?.CbteFch || undefined };
  }

  /** FECAESolicitar for `sent`; `onTry` is told each time it goes to ARCA (retries included). */
  private authorize(key: LaneKey, sent: FECAEDetRequest[], onTry: () => void): Promise<FECAEResponse> {
    const request = {
      FeCabReq: { CantReg: sent.length, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
      FeDetReq: sent,
    };
    return this.calls.run(key.cuit, (auth) => {
      onTry();
      return this.wsfe.authorize(auth, request);
    });
  }
}

function isNumbered(attempt: Attempt): boolean {
  return attempt.details[0]!.CbteDesde !== undefined;
}

function takenOver(): AppError {
  return new AppError(
    'CONFLICT',
    'a retry with the same Idempotency-Key took this request over; retry with the key to get its answer',
    undefined,
    { retryAfterSeconds: 1 },
  );
}

/**
 * Whether the lane takes an attempt as it stands: numbers given by the POS must be the lane's next, and dates
 * follow the lane's (lane-dates.ts). Admitted, the dates its details are sent with.
 */
function admission(key: LaneKey, attempt: Attempt, tip: LaneTip): Dating {
  const first = attempt.details[0]!.CbteDesde;
  const last = tip.number;
  if (first !== undefined && first !== last + 1) {
    return {
      error: new AppError(
        'CONFLICT',
        `FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteDesde is ${first} but the next number ARCA will accept is ${last + 1} ` +
          `(last authorized: ${last}); leave CbteDesde and CbteHasta out and the gateway numbers the voucher`,
        { field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteDesde', expected: last + 1, lastAuthorized: last },
      ),
    };
  }
  return dateDetails(key, attempt.details, attempt.today, tip, attempt.allowDateAdvance);
}

/**
 * The batch's details as sent, numbered consecutively after `last` in queue order (a numbered request comes alone
 * and keeps its numbers), with the dates the lane decided; the batch is ordered by date first, so a lane's dates
 * never go back inside a call.
 */
function numberAll(attempts: Attempt[], last: number, dates: Map<Attempt, string[]>): Numbered[] {
  const dated = attempts
    .map((attempt, index) => ({ attempt, index, date: dates.get(attempt)![0]! }))
    .sort((a, b) => (a.date === b.date ? a.index - b.index : a.date < b.date ? -1 : 1));
  let next = last + 1;
  return dated.map(({ attempt }) => {
    const sent = attempt.details.map((detail, at) => {
      // Without numbers a detail is one voucher; B ranges come numbered by the POS.
      const assigned = {
        CbteDesde: detail.CbteDesde ?? next,
        CbteHasta: detail.CbteHasta ?? next,
        CbteFch: dates.get(attempt)![at]!,
      };
      next = assigned.CbteHasta + 1;
      return toWsfeDetail(detail, assigned);
    });
    return { attempt, sent };
  });
}

/** The 409 of a diverged lane: both numbers, what to check, and how an admin resumes it. */
export function divergedError(key: LaneKey, divergence: { arcaLast: number; gatewayLast: number }): AppError {
  const lane = `${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
  return new AppError(
    'LANE_DIVERGED',
    `point of sale ${key.ptoVta}, type ${key.cbteTipo} of CUIT ${key.cuit} (${key.environment}) is stopped: ARCA's ` +
      `last authorized number is ${divergence.arcaLast} but the gateway recorded ${divergence.gatewayLast} as ` +
      "authorized. ARCA's data was reset (homologation does this) or this database was used against another " +
      'environment; nothing was sent. Check which vouchers ARCA holds (GET /v1/invoices/last-authorized), then an ' +
      `admin accepts ARCA's numbering with POST /v1/lanes/${lane}/resync`,
    { arcaLast: divergence.arcaLast, gatewayLast: divergence.gatewayLast },
  );
}

export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // The gateway's own database, full or gone: a 503 to retry with the same Idempotency-Key, not a 500.
  if (isSaturation(error)) return saturated(error);
  if (isConnectionLoss(error)) return connectionLost(error);
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error), undefined, {
    cause: error,
  });
}
