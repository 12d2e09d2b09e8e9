import { Injectable, Logger } from '@nestjs/common';
import {
  type FECAEDetRequest,
  type FECAEResponse,
  type FECompConsResponse,
  WsfeClient,
} from '#libs/afip-wsfe';
import { AppError } from '../../common/app-error.js';
import { BillingMetrics } from '../billing.metrics.js';
import { invoiceResponse } from '../invoice-response.js';
import { InvoiceJournalRepository, type JournalRow } from '../journal/invoice-journal.repository.js';
import { InvoiceRepository } from '../invoice.repository.js';
import { isNumberingRefusal, splitResult } from '../lanes/batch-plan.js';
import { answerFromRecords, sameVoucher } from './lost-answer.js';
import { type KnownRecords, lookUpAtOnce } from './record-lookups.js';
import { alarmConflicts } from '../number-conflict.alarm.js';
import type { LaneKey, LaneSession } from '../lanes/numbering-lane.repository.js';
import { WsfeCalls } from '../wsfe-calls.service.js';

/**
 * How a voucher in doubt was settled: ARCA has it (`authorized`), ARCA had nothing and the gateway sent it again
 * under the same number (`resent`), ARCA holds another sale's voucher under that number (`conflict`), ARCA still
 * has nothing after the resend went wrong too, so nothing was issued (`freed`), or ARCA cannot be asked (`blocked`).
 */
export type Settlement = 'authorized' | 'resent' | 'conflict' | 'freed' | 'blocked';

/** FECompConsultar calls at once when a call ARCA processed lost its answer. */
const LOOKUPS_AT_ONCE = 8;

interface Who {
  actor: string;
  httpRequestId: string;
}

/**
 * Settles vouchers whose FECAESolicitar left but whose answer did not come back (journal SENT or UNKNOWN), inside
 * their lane: FECompConsultar for each number, compared on date, receiver and total with what was sent.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger('Reconciler');

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly journal: InvoiceJournalRepository,
    private readonly invoices: InvoiceRepository,
    private readonly metrics: BillingMetrics,
  ) {}

  /**
   * Every voucher in doubt of the lane, as `settleCall` settles a call's (a lane in doubt numbers nothing, so they
   * are its last numbers); the first ARCA cannot be asked about, which blocks the lane, or undefined.
   */
  async settleLane(session: LaneSession, who: Who): Promise<JournalRow | undefined> {
    const lane = laneName(session.key);
    const rows = await this.journal.inDoubt(session.key, session);
    const settled = await this.settleCall(session, rows, () => who);
    const blocking = inNumberOrder(rows).find((row) => settled.get(row.id) === 'blocked');
    if (blocking) this.metrics.laneBlocked(lane);
    else this.metrics.laneClear(lane);
    return blocking;
  }

  /**
   * The rows of one call whose answer was lost. ARCA's last number says how far ARCA got: the rows up to it are
   * settled one by one, as `settle` does (FECompConsultar: this sale's voucher, or another's); ARCA has recorded
   * nothing after it, so when every row up to it was ARCA's own and the rest follow on from it, the rest go again
   * together, as they were sent, in one FECAESolicitar, instead of a FECompConsultar and a FECAESolicitar each. A
   * first call still in flight at ARCA cannot make a duplicate of them: ARCA's numbering refuses one of the two
   * (10016), and then they are settled one by one. Each row's settlement.
   */
  async settleCall(
    session: LaneSession,
    rows: JournalRow[],
    whoOf: (row: JournalRow) => Who,
  ): Promise<Map<string, Settlement>> {
    const settled = new Map<string, Settlement>();
    if (rows.length === 0) return settled;
    // One by one, in order; once ARCA cannot be asked, the rest wait too (each would be another failed call).
    let blocked = false;
    const oneByOne = async (list: JournalRow[], known?: KnownRecords) => {
      for (const row of list) {
        const settlement = blocked ? 'blocked' : await this.settle(session, row, whoOf(row), known);
        blocked ||= settlement === 'blocked';
        settled.set(row.id, settlement);
      }
    };
    const { key } = session;
    const ordered = inNumberOrder(rows);
    const arcaLast = await this.calls
      .run(key.cuit, (auth) => this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo))
      .catch(() => undefined);
    if (arcaLast === undefined) {
      await oneByOne(ordered);
      return settled;
    }
    const reached = ordered.filter((row) => firstOf(row) <= arcaLast);
    const beyond = ordered.filter((row) => firstOf(row) > arcaLast);
    // ARCA processed these: what it recorded under their numbers is asked several at a time.
    const known =
      reached.length > 1
        ? await lookUpAtOnce(
            (cbteNro) =>
              this.calls.run(key.cuit, (auth) => this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, cbteNro)),
            reached.flatMap((row) => (row.sentRequest ?? []).map((detail) => detail.CbteDesde)),
            LOOKUPS_AT_ONCE,
          )
        : undefined;
    await oneByOne(reached, known);
    if (beyond.length === 0) return settled;
    if (!reached.every((row) => settled.get(row.id) === 'authorized') || !followsOn(beyond, arcaLast)) {
      await oneByOne(beyond);
      return settled;
    }
    const started = performance.now();
    const sizes = beyond.map((row) => row.sentRequest!.length);
    const sent = beyond.flatMap((row) => row.sentRequest!);
    const result = await this.calls
      .run(key.cuit, (auth) =>
        this.wsfe.authorize(auth, {
          FeCabReq: { CantReg: sent.length, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
          FeDetReq: sent,
        }),
      )
      .catch(() => undefined);
    const where = `${laneName(key)} #${sent[0]!.CbteDesde}-${sent.at(-1)!.CbteHasta}`;
    if (!result || isNumberingRefusal(result) || result.FeDetResp.length !== sent.length) {
      this.logger.warn(
        `reconciling ${where}: ARCA's last number is ${arcaLast}, but sending them again together ` +
          `${result ? 'was refused for its numbering' : 'failed'}: settled one by one`,
      );
      await oneByOne(beyond);
      return settled;
    }
    const parts = splitResult(result, sizes);
    const notProcessed: JournalRow[] = [];
    for (const [index, row] of beyond.entries()) {
      const part = parts[index]!;
      if (part.kind === 'not-processed') {
        notProcessed.push(row);
        continue;
      }
      await this.store(session, row, row.sentRequest!, part.result, false, whoOf(row), started, 'resent');
      settled.set(row.id, 'resent');
      this.metrics.reconciled('resent');
    }
    this.logger.log(
      `reconciled ${where} (${beyond.length} journal rows): ARCA's last number was ${arcaLast}, so ARCA had ` +
        `none of them: sent again together, as sent, ARCA answered` +
        (notProcessed.length > 0 ? `; ${notProcessed.length} not processed after a rejection` : ''),
    );
    const state = await session.state();
    await session.save({ lastNumber: state?.lastNumber ?? 0, lastFch: state?.lastFch, synced: false });
    await oneByOne(notProcessed);
    return settled;
  }

  /** One row in doubt. `known`: ARCA's records of some numbers, asked just before (`lookUpAtOnce`). */
  async settle(session: LaneSession, row: JournalRow, who: Who, known?: KnownRecords): Promise<Settlement> {
    const started = performance.now();
    const sent = row.sentRequest ?? [];
    const where = `${laneName(session.key)} #${sent[0]?.CbteDesde ?? '?'} (journal ${row.id})`;
    const settlement =
      sent.length === 0
        ? await this.unreadable(session, row, who)
        : await this.decide(session, row, sent, who, started, known);
    const state = await session.state();
    await session.save({ lastNumber: state?.lastNumber ?? 0, lastFch: state?.lastFch, synced: false });
    this.metrics.reconciled(settlement);
    const said: Record<Settlement, string> = {
      authorized: 'ARCA has the same voucher: authorized, CAE stored',
      resent: 'ARCA had nothing under the number: sent again with it, ARCA answered',
      conflict: 'ARCA holds a DIFFERENT voucher under the number: nothing of this sale was issued (alarm)',
      freed:
        'the number went to another voucher before the resend: nothing issued, the sale may be sent again',
      blocked: 'ARCA cannot be asked now: the lane waits for it',
    };
    const line = `reconciled ${where}: ${said[settlement]}`;
    if (settlement === 'conflict') this.logger.error(line);
    else if (settlement === 'blocked') this.logger.warn(line);
    else this.logger.log(line);
    return settlement;
  }

  private async decide(
    session: LaneSession,
    row: JournalRow,
    sent: FECAEDetRequest[],
    who: Who,
    started: number,
    known?: KnownRecords,
  ): Promise<Settlement> {
    const recorded = await this.byRecord(session, row, sent, who, started, known);
    if (recorded !== 'absent') return recorded;
    // ARCA has nothing under the number: send the same voucher again under it. ARCA's numbering decides between
    // this and a first request still in flight: one of them gets 10016.
    let result: FECAEResponse;
    try {
      result = await this.calls.run(session.key.cuit, (auth) =>
        this.wsfe.authorize(auth, {
          FeCabReq: { CantReg: sent.length, PtoVta: session.key.ptoVta, CbteTipo: session.key.cbteTipo },
          FeDetReq: sent,
        }),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'AFIP_TIMEOUT') return 'blocked';
      return this.lookAgain(session, row, sent, who, started);
    }
    if (result.Errors.some((item) => item.Code === 10016))
      return this.lookAgain(session, row, sent, who, started);
    await this.store(session, row, sent, result, false, who, started, 'resent');
    return 'resent';
  }

  /**
   * ARCA's record of the numbers decides: the same voucher (`authorized`, stored), another sale's (`conflict`),
   * ARCA cannot be asked (`blocked`), or nothing there (`absent`, nothing written).
   */
  private async byRecord(
    session: LaneSession,
    row: JournalRow,
    sent: FECAEDetRequest[],
    who: Who,
    started: number,
    known?: KnownRecords,
  ): Promise<Settlement | 'absent'> {
    const found = await this.lookup(session.key, sent, known).catch(() => undefined);
    if (!found) return 'blocked';
    if (found.other) return this.conflict(session, row, sent, found.other, who, started);
    if (found.recorded.length === 0) return 'absent';
    const answer = this.fromRecords(session.key, sent, found.recorded);
    await this.store(session, row, sent, answer, true, who, started, 'authorized');
    return 'authorized';
  }

  /** After a second doubt or a 10016 on the resend: ARCA's record decides, once more; still nothing is `freed`. */
  private async lookAgain(
    session: LaneSession,
    row: JournalRow,
    sent: FECAEDetRequest[],
    who: Who,
    started: number,
  ): Promise<Settlement> {
    const recorded = await this.byRecord(session, row, sent, who, started);
    if (recorded !== 'absent') return recorded;
    await this.closeRow(
      session,
      row,
      {
        state: 'FAILED',
        httpStatus: 503,
        responseBody: {
          code: 'UNAVAILABLE',
          message: `ARCA has no voucher of this request under number ${sent[0]!.CbteDesde} after sending it again: nothing was issued; send it again (with the same Idempotency-Key)`,
        },
        attempts: row.attempts,
      },
      [],
      { ...who, arcaMs: performance.now() - started, reconciled: 'freed' },
    );
    return 'freed';
  }

  /**
   * What ARCA recorded under each number sent, in order, up to the first it has not (or holds another sale); from
   * `known` where it was asked just before.
   */
  private async lookup(
    key: LaneKey,
    sent: FECAEDetRequest[],
    known?: KnownRecords,
  ): Promise<{ recorded: FECompConsResponse[]; other?: FECompConsResponse }> {
    const recorded: FECompConsResponse[] = [];
    for (const detail of sent) {
      const record = known?.has(detail.CbteDesde)
        ? (known.get(detail.CbteDesde) ?? undefined)
        : await this.calls.run(key.cuit, (auth) =>
            this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, detail.CbteDesde),
          );
      if (!record) break;
      if (!sameVoucher(record, detail))
        return recorded.length === 0 ? { recorded, other: record } : { recorded };
      recorded.push(record);
    }
    return { recorded };
  }

  private fromRecords(key: LaneKey, sent: FECAEDetRequest[], recorded: FECompConsResponse[]): FECAEResponse {
    return answerFromRecords({ Cuit: key.cuit, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo }, sent, recorded);
  }

  private async store(
    session: LaneSession,
    row: JournalRow,
    sent: FECAEDetRequest[],
    result: FECAEResponse,
    recovered: boolean,
    who: Who,
    started: number,
    reconciled: Settlement,
  ): Promise<void> {
    const { key } = session;
    const response = invoiceResponse(
      { cuit: key.cuit, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo },
      sent,
      result,
      who.httpRequestId,
    );
    if (recovered) response.body.recoveredWith = 'FECompConsultar';
    const authorized = result.FeDetResp.some((item) => item.Resultado === 'A');
    const closing = await this.closeRow(
      session,
      row,
      {
        state: authorized ? 'AUTHORIZED' : 'REJECTED',
        cbteDesde: sent[0]!.CbteDesde,
        cbteHasta: sent.at(-1)!.CbteHasta,
        afipResponse: result,
        httpStatus: response.httpStatus,
        responseBody: response.body,
        attempts: row.attempts,
        sentAt: row.sentAt ?? undefined,
      },
      result.FeDetResp.map((item, index) => ({ sent: sent[index]!, answer: item })),
      { ...who, arcaMs: performance.now() - started, reconciled },
    );
    this.metrics.outcome(authorized ? 'AUTHORIZED' : 'REJECTED');
    alarmConflicts(closing.conflicts, key, this.logger, this.metrics);
  }

  private async conflict(
    session: LaneSession,
    row: JournalRow,
    sent: FECAEDetRequest[],
    other: FECompConsResponse,
    who: Who,
    started: number,
  ): Promise<Settlement> {
    const number = sent[0]!.CbteDesde;
    await this.closeRow(
      session,
      row,
      {
        state: 'REJECTED',
        httpStatus: 409,
        responseBody: {
          statusCode: 409,
          code: 'CONFLICT',
          message:
            `ARCA holds a different voucher under number ${number} (CbteFch ${other.CbteFch}, DocNro ${other.DocNro}, ` +
            `ImpTotal ${other.ImpTotal}): this request was not issued; another system numbers on this point of sale`,
        },
        attempts: row.attempts,
      },
      [],
      { ...who, arcaMs: performance.now() - started, kind: 'invoice.conflict', reconciled: 'conflict' },
    );
    this.metrics.outcome('REJECTED');
    return 'conflict';
  }

  /** Closes a settled row, with its `invoice.requested` entry first when its first attempt never wrote it. */
  private async closeRow(
    session: LaneSession,
    row: JournalRow,
    outcome: Parameters<InvoiceRepository['close']>[2],
    vouchers: Parameters<InvoiceRepository['close']>[3],
    audit: Parameters<InvoiceRepository['close']>[4],
  ) {
    const requested = (await this.journal.missingRequested(session, [row])).get(row.id);
    return this.invoices.close(session, row.id, outcome, vouchers, audit, requested);
  }

  /** A row sent before the journal kept what was sent cannot be looked up: closed as failed, with an error log. */
  private async unreadable(session: LaneSession, row: JournalRow, who: Who): Promise<Settlement> {
    await this.closeRow(
      session,
      row,
      {
        state: 'FAILED',
        httpStatus: 500,
        responseBody: {
          code: 'INTERNAL',
          message: 'sent before the journal kept what was sent: check it by hand',
        },
        attempts: row.attempts,
      },
      [],
      { ...who, arcaMs: 0, reconciled: 'freed' },
    );
    return 'freed';
  }
}

function firstOf(row: JournalRow): number {
  return row.sentRequest?.[0]?.CbteDesde ?? 0;
}

function inNumberOrder(rows: JournalRow[]): JournalRow[] {
  return [...rows].sort((a, b) => firstOf(a) - firstOf(b));
}

/** The rows' vouchers, in order, numbered on from `last` without a gap. */
function followsOn(rows: JournalRow[], last: number): boolean {
  let next = last + 1;
  for (const row of rows) {
    for (const detail of row.sentRequest ?? []) {
      if (detail.CbteDesde !== next) return false;
      next = detail.CbteHasta + 1;
    }
    if (!row.sentRequest?.length) return false;
  }
  return true;
}

export function laneName(key: LaneKey): string {
  return `${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
}
