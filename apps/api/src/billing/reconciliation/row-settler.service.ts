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
import { answerFromRecords, sameVoucher } from './lost-answer.js';
import type { KnownRecords } from './record-lookups.js';
import { alarmConflicts } from '../number-conflict.alarm.js';
import { type LaneKey, type LaneSession, laneName } from '../lanes/numbering-lane.repository.js';
import { WsfeCalls } from '../wsfe-calls.service.js';

/**
 * How a voucher in doubt was settled: ARCA has it (`authorized`), ARCA had nothing and the gateway sent it again
 * under the same number (`resent`), ARCA holds another sale's voucher under that number (`conflict`), ARCA still
 * has nothing after the resend went wrong too, so nothing was issued (`freed`), or ARCA cannot be asked (`blocked`).
 */
export type Settlement = 'authorized' | 'resent' | 'conflict' | 'freed' | 'blocked';

export interface Who {
  actor: string;
  httpRequestId: string;
}

/** A row being settled: its lane, what was sent under its numbers, for whom, and since when (`arcaMs`). */
export interface Doubt {
  session: LaneSession;
  row: JournalRow;
  sent: FECAEDetRequest[];
  who: Who;
  started: number;
}

/**
 * Settles one journal row whose FECAESolicitar left but whose answer did not come back (SENT or UNKNOWN), inside
 * its lane: FECompConsultar for each of its numbers, compared on date, receiver and total with what was sent; ARCA
 * having nothing, the same vouchers go again under the same numbers. `Reconciler` decides which rows come here.
 */
@Injectable()
export class RowSettler {
  private readonly logger = new Logger('Reconciler');

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly journal: InvoiceJournalRepository,
    private readonly invoices: InvoiceRepository,
    private readonly metrics: BillingMetrics,
  ) {}

  /** One row in doubt. `known`: ARCA's records of some numbers, asked just before (`lookUpAtOnce`). */
  async settle(session: LaneSession, row: JournalRow, who: Who, known?: KnownRecords): Promise<Settlement> {
    const doubt: Doubt = { session, row, sent: row.sentRequest ?? [], who, started: performance.now() };
    const where = `${laneName(session.key)} #${doubt.sent[0]?.CbteDesde ?? '?'} (journal ${row.id})`;
    const settlement =
      doubt.sent.length === 0 ? await this.unreadable(doubt) : await this.decide(doubt, known);
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

  private async decide(doubt: Doubt, known?: KnownRecords): Promise<Settlement> {
    const { session, sent } = doubt;
    const recorded = await this.byRecord(doubt, known);
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
      return this.lookAgain(doubt);
    }
    if (result.Errors.some((item) => item.Code === 10016)) return this.lookAgain(doubt);
    await this.store(doubt, result, false, 'resent');
    return 'resent';
  }

  /**
   * ARCA's record of the numbers decides: the same voucher (`authorized`, stored), another sale's (`conflict`),
   * ARCA cannot be asked (`blocked`), or nothing there (`absent`, nothing written).
   */
  private async byRecord(doubt: Doubt, known?: KnownRecords): Promise<Settlement | 'absent'> {
    const { key } = doubt.session;
    const found = await this.lookup(key, doubt.sent, known).catch(() => undefined);
    if (!found) return 'blocked';
    if (found.other) return this.conflict(doubt, found.other);
    if (found.recorded.length === 0) return 'absent';
    const answer = answerFromRecords(
      { Cuit: key.cuit, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
      doubt.sent,
      found.recorded,
    );
    await this.store(doubt, answer, true, 'authorized');
    return 'authorized';
  }

  /** After a second doubt or a 10016 on the resend: ARCA's record decides, once more; still nothing is `freed`. */
  private async lookAgain(doubt: Doubt): Promise<Settlement> {
    const recorded = await this.byRecord(doubt);
    if (recorded !== 'absent') return recorded;
    const { row, sent } = doubt;
    await this.closeRow(
      doubt,
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
      'freed',
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

  /** Closes a row with ARCA's answer for its vouchers: `recovered` when the answer was rebuilt from ARCA's records. */
  async store(
    doubt: Doubt,
    result: FECAEResponse,
    recovered: boolean,
    reconciled: Settlement,
  ): Promise<void> {
    const { session, row, sent, who } = doubt;
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
      doubt,
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
      reconciled,
    );
    this.metrics.outcome(authorized ? 'AUTHORIZED' : 'REJECTED');
    alarmConflicts(closing.conflicts, key, this.logger, this.metrics);
  }

  private async conflict(doubt: Doubt, other: FECompConsResponse): Promise<Settlement> {
    const number = doubt.sent[0]!.CbteDesde;
    await this.closeRow(
      doubt,
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
        attempts: doubt.row.attempts,
      },
      [],
      'conflict',
      'invoice.conflict',
    );
    this.metrics.outcome('REJECTED');
    return 'conflict';
  }

  /**
   * Closes a settled row, its audit entry saying how it was settled, with its `invoice.requested` entry first when
   * its first attempt never wrote it.
   */
  private async closeRow(
    { session, row, who, started }: Doubt,
    outcome: Parameters<InvoiceRepository['close']>[2],
    vouchers: Parameters<InvoiceRepository['close']>[3],
    reconciled: Settlement,
    kind?: 'invoice.conflict',
  ) {
    const requested = (await this.journal.missingRequested(session, [row])).get(row.id);
    const audit = { ...who, arcaMs: performance.now() - started, reconciled, ...(kind ? { kind } : {}) };
    return this.invoices.close(session, row.id, outcome, vouchers, audit, requested);
  }

  /** A row sent before the journal kept what was sent cannot be looked up: closed as failed, with an error log. */
  private async unreadable(doubt: Doubt): Promise<Settlement> {
    await this.closeRow(
      doubt,
      {
        state: 'FAILED',
        httpStatus: 500,
        responseBody: {
          code: 'INTERNAL',
          message: 'sent before the journal kept what was sent: check it by hand',
        },
        attempts: doubt.row.attempts,
      },
      [],
      'freed',
    );
    return 'freed';
  }
}
