import { Injectable, Logger } from '@nestjs/common';
import { type FECAEDetRequest, type FECAEResponse, WsfeClient } from '#libs/afip-wsfe';
import { AppError } from '../common/app-error.js';
import { BillingMetrics } from './billing.metrics.js';
import type { InvoiceDetailDto } from './invoice-detail.dto.js';
import { toWsfeDetail } from './invoice-mapping.js';
import { InvoiceJournalRepository } from './invoice-journal.repository.js';
import type { InvoiceResponseDto } from './invoice-response.dto.js';
import { invoiceResponse } from './invoice-response.js';
import { InvoiceRepository } from './invoice.repository.js';
import { alarmConflicts } from './number-conflict.alarm.js';
import type { LaneKey, LaneSession } from './numbering-lane.repository.js';
import { laneName, Reconciler } from './reconciler.service.js';
import { WsfeCalls } from './wsfe-calls.service.js';

/** One attempt at a journal row: the row, the token that owns it, what to send, and who asked. */
export interface Attempt {
  id: string;
  token: string;
  details: InvoiceDetailDto[];
  /** Today in Argentina: CbteFch when the POS leaves it out. */
  today: string;
  actor: string;
  httpRequestId: string;
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

/**
 * Inside a lane: settle the lane's vouchers in doubt, number, commit the numbers to the journal (SENT), send,
 * store ARCA's answer. Never throws ARCA's failures, so the lane's state is committed whatever happened.
 */
@Injectable()
export class VoucherSender {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly journal: InvoiceJournalRepository,
    private readonly invoices: InvoiceRepository,
    private readonly reconciler: Reconciler,
    private readonly metrics: BillingMetrics,
  ) {}

  async send(session: LaneSession, attempt: Attempt): Promise<LaneOutcome> {
    const { key } = session;
    const who = { actor: attempt.actor, httpRequestId: attempt.httpRequestId };
    let arcaMs = 0;
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await call();
      } finally {
        arcaMs += performance.now() - started;
      }
    };
    const blocking = await timed(() => this.reconciler.settleLane(session, who));
    if (blocking) {
      const number = blocking.sentRequest?.[0]?.CbteDesde;
      return {
        error: new AppError(
          'UNAVAILABLE',
          `voucher ${number} of ${laneName(key)} was sent to ARCA and its answer lost, and ARCA cannot be asked about it now: ` +
            'the lane numbers nothing until it is settled; nothing was sent for this request',
          undefined,
          { retryAfterSeconds: 10 },
        ),
        from: 'PENDING',
        to: 'FAILED',
        arcaMs,
      };
    }
    const state = await session.state();
    if (state?.divergence) {
      return { error: divergedError(key, state.divergence), from: 'PENDING', to: 'FAILED', arcaMs };
    }
    let last: number;
    try {
      last = state?.synced ? state.lastNumber : await timed(() => this.lastAuthorized(key));
    } catch (error) {
      return { error: asAppError(error), from: 'PENDING', to: 'FAILED', arcaMs };
    }
    if (!state?.synced) {
      const divergence = await this.diverged(session, last, attempt.actor);
      if (divergence) return { error: divergence, from: 'PENDING', to: 'FAILED', arcaMs };
    }
    const lastFch = state?.synced ? state.lastFch : undefined;
    const refusal = refuseStale(attempt.details, last, lastFch);
    if (refusal) {
      await session.save({ lastNumber: last, lastFch, synced: true });
      return { error: refusal, from: 'PENDING', to: 'FAILED', arcaMs };
    }
    const posNumbered = attempt.details[0]!.CbteDesde !== undefined;
    let sent = number(attempt.details, last, attempt.today);
    const sentAt = new Date();
    let result: FECAEResponse;
    let sends = 0;
    for (;;) {
      sends += 1;
      if (!(await this.journal.markSent(attempt.id, attempt.token, sent, sentAt))) {
        return {
          error: new AppError(
            'CONFLICT',
            'a retry with the same Idempotency-Key took this request over; retry with the key to get its answer',
            undefined,
            { retryAfterSeconds: 1 },
          ),
          from: 'PENDING',
          to: 'FAILED',
          arcaMs,
        };
      }
      try {
        result = await timed(() => this.authorize(key, sent));
      } catch (error) {
        await session.save({ lastNumber: last, lastFch, synced: false });
        const failure = asAppError(error);
        // Only a lost answer leaves a doubt: every other failure is a call ARCA certainly did not process.
        if (failure.code !== 'AFIP_TIMEOUT') return { error: failure, from: 'SENT', to: 'FAILED', arcaMs };
        // The answer was lost: ARCA's record of the number says what happened, here and now.
        return this.settleOwn(session, attempt, failure, () => arcaMs, timed);
      }
      if (posNumbered || sends > 1 || !result.Errors.some((item) => item.Code === 10016)) break;
      // ARCA's numbering moved without this lane: ahead of it (another system issued on this point of sale), the
      // lane catches up once; behind the gateway's own records (ARCA was reset), the lane stops.
      const arcaLast = await timed(() => this.lastAuthorized(key)).catch(() => last);
      const divergence = await this.diverged(session, arcaLast, attempt.actor);
      // 10016 is a refusal of the whole request: nothing of it was authorized.
      if (divergence) return { error: divergence, from: 'SENT', to: 'FAILED', arcaMs };
      this.logger.warn(`lane ${laneName(key)} was behind ARCA at ${last}: renumbering from ${arcaLast}`);
      last = arcaLast;
      sent = number(attempt.details, last, attempt.today);
    }
    const authorized = result.FeDetResp.filter((item) => item.Resultado === 'A');
    const newest = authorized.at(-1);
    await session.save({
      lastNumber: newest ? newest.CbteHasta : last,
      lastFch: newest ? newest.CbteFch : lastFch,
      synced: !result.Errors.some((item) => item.Code === 10016),
    });
    const response = invoiceResponse(
      { cuit: key.cuit, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo },
      sent,
      result,
      attempt.httpRequestId,
    );
    const journalState = authorized.length > 0 ? 'AUTHORIZED' : 'REJECTED';
    const closing = await this.invoices.close(
      session,
      attempt.id,
      {
        state: journalState,
        cbteDesde: sent[0]!.CbteDesde,
        cbteHasta: sent.at(-1)!.CbteHasta,
        afipResponse: result,
        httpStatus: response.httpStatus,
        responseBody: response.body,
        attempts: sends,
        sentAt,
      },
      result.FeDetResp.map((item, index) => ({ sent: sent[index]!, answer: item })),
      { actor: attempt.actor, arcaMs, httpRequestId: attempt.httpRequestId },
    );
    this.metrics.outcome(journalState);
    alarmConflicts(closing.conflicts, key, this.logger, this.metrics);
    this.logger.log(
      `${response.body.status} ${laneName(key)} numbers=${sent[0]!.CbteDesde}-${sent.at(-1)!.CbteHasta}`,
    );
    return {
      ok: { httpStatus: response.httpStatus, body: closing.responseBody as InvoiceResponseDto, arcaMs },
    };
  }

  /** This attempt's own voucher in doubt: settled at once if ARCA can be asked, else left UNKNOWN (504). */
  private async settleOwn(
    session: LaneSession,
    attempt: Attempt,
    lost: AppError,
    arcaMs: () => number,
    timed: <T>(call: () => Promise<T>) => Promise<T>,
  ): Promise<LaneOutcome> {
    const row = await this.journal.read(attempt.id);
    const who = { actor: attempt.actor, httpRequestId: attempt.httpRequestId };
    const settlement = row ? await timed(() => this.reconciler.settle(session, row, who)) : 'blocked';
    if (settlement === 'blocked') {
      this.metrics.laneBlocked(laneName(session.key));
      return { error: lost, from: 'SENT', to: 'UNKNOWN', arcaMs: arcaMs() };
    }
    const settled = await this.journal.read(attempt.id, session);
    const body = settled?.responseBody as
      (InvoiceResponseDto & { code?: string; message?: string }) | undefined;
    if (settled && body && (settled.httpStatus === 201 || settled.httpStatus === 422)) {
      return { ok: { httpStatus: settled.httpStatus, body, arcaMs: arcaMs() } };
    }
    const code = settlement === 'conflict' ? 'CONFLICT' : 'UNAVAILABLE';
    return {
      error: new AppError(code, body?.message ?? 'not issued', undefined, { retryAfterSeconds: 5 }),
      // Already closed by the reconciler: the journal move finds nothing to do.
      from: 'SENT',
      to: 'FAILED',
      arcaMs: arcaMs(),
    };
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

  private lastAuthorized(key: LaneKey): Promise<number> {
    return this.calls.run(key.cuit, (auth) => this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo));
  }

  private authorize(key: LaneKey, sent: FECAEDetRequest[]): Promise<FECAEResponse> {
    const request = {
      FeCabReq: { CantReg: sent.length, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
      FeDetReq: sent,
    };
    return this.calls.run(key.cuit, (auth) => this.wsfe.authorize(auth, request));
  }
}

/** Numbers given by the POS must be the lane's next; dates may not go back before the lane's last voucher. */
function refuseStale(
  details: InvoiceDetailDto[],
  last: number,
  lastFch: string | undefined,
): AppError | undefined {
  const first = details[0]!.CbteDesde;
  if (first !== undefined && first !== last + 1) {
    return new AppError(
      'CONFLICT',
      `FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteDesde is ${first} but the next number ARCA will accept is ${last + 1} ` +
        `(last authorized: ${last}); leave CbteDesde and CbteHasta out and the gateway numbers the voucher`,
      { field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteDesde', expected: last + 1, lastAuthorized: last },
    );
  }
  const early = details.findIndex((detail) => lastFch && detail.CbteFch && detail.CbteFch < lastFch);
  if (early >= 0) {
    const field = `FeCAEReq.FeDetReq.FECAEDetRequest.${early}.CbteFch`;
    return new AppError(
      'VALIDATION_FAILED',
      `${field}: CbteFch may not be before ${lastFch}, the date of the last voucher authorized on this point of sale and type (ARCA 10016)`,
      [{ field, rule: '10016', message: `CbteFch may not be before ${lastFch}` }],
    );
  }
  return undefined;
}

/** The details as sent: the POS's numbers, or the lane's next ones; CbteFch defaults to today in Argentina. */
function number(details: InvoiceDetailDto[], last: number, today: string): FECAEDetRequest[] {
  let next = last + 1;
  return details.map((detail) => {
    // Without numbers a detail is one voucher; B ranges come numbered by the POS.
    const assigned = {
      CbteDesde: detail.CbteDesde ?? next,
      CbteHasta: detail.CbteHasta ?? next,
      CbteFch: detail.CbteFch ?? today,
    };
    next = assigned.CbteHasta + 1;
    return toWsfeDetail(detail, assigned);
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
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error), undefined, {
    cause: error,
  });
}
