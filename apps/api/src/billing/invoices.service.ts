import { Injectable, Logger } from '@nestjs/common';
import { bulkhead } from 'cockatiel';
import { createHash } from 'node:crypto';
import {
  type FECAEDetRequest,
  type FECAEResponse,
  type FECompConsResponse,
  WsfeClient,
  yyyymmdd,
} from '#libs/afip-wsfe';
import { canonicalJson } from '../audit/canonical-json.js';
import { TicketService } from '../auth/ticket.service.js';
import { AppError } from '../common/app-error.js';
import { statusOf } from '../common/error-status.js';
import { AppConfig } from '../config/app.config.js';
import { BillingOptions } from './billing.options.js';
import type { InvoiceDetailDto } from './invoice-detail.dto.js';
import { toWsfeDetail } from './invoice-mapping.js';
import { precheck } from './invoice-precheck.js';
import type { CreateInvoiceDto } from './invoice-request.dto.js';
import type { InvoiceResponseDto } from './invoice-response.dto.js';
import { invoiceResponse } from './invoice-response.js';
import { InvoiceRepository, type JournalState } from './invoice.repository.js';
import { answerFromRecords, sameVoucher } from './lost-answer.js';
import { type LaneKey, type LaneSession, NumberingLaneRepository } from './numbering-lane.repository.js';
import { ParamTablesService } from './param-tables.service.js';
import { WsfeCalls } from './wsfe-calls.service.js';

export interface IssueContext {
  requestId: string;
  /** The body as the client sent it, kept in the journal. */
  body: unknown;
  idempotencyKey?: string;
  /** The API key that asked: the journal's and the audit's "who". */
  apiKeyId: string;
}

export interface IssueResult {
  httpStatus: number;
  body: InvoiceResponseDto;
  /** Where the time went, for `Server-Timing`: waiting for the lane, and waiting for ARCA inside it. */
  timings: { laneMs: number; arcaMs: number };
}

type LaneOutcome =
  { ok: IssueResult } | { error: AppError; attempts: number; sentAt?: Date; arcaMs?: number };

/**
 * POST /v1/invoices: checks what can be checked locally, journals the request, then numbers and sends it inside
 * the (cuit, ptoVta, cbteTipo) lane, so no two requests of a lane ever race for a number on any replica.
 */
@Injectable()
export class InvoicesService {
  private readonly logger = new Logger('Invoices');
  /** Per-replica queues in front of the lanes' Postgres locks: one waiting connection per lane, not one per request. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Lanes held at once by this replica, below the pool size so a holder can always reach the database. */
  private readonly held = bulkhead(8, Number.MAX_SAFE_INTEGER);

  constructor(
    private readonly config: AppConfig,
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly params: ParamTablesService,
    private readonly tickets: TicketService,
    private readonly lanes: NumberingLaneRepository,
    private readonly invoices: InvoiceRepository,
    private readonly options: BillingOptions,
  ) {}

  async issue(dto: CreateInvoiceDto, context: IssueContext): Promise<IssueResult> {
    const cuit = dto.Auth.Cuit;
    const cab = dto.FeCAEReq.FeCabReq;
    const today = yyyymmdd(this.options.now());
    const [tables, maxRecords] = await Promise.all([
      this.params.ruleTables(cuit),
      this.params.maxRecords(cuit),
    ]);
    precheck(dto, { today, tables, maxRecords });
    // The ticket is fetched outside the lane: a lane holder never waits for a login.
    await this.tickets.get(String(cuit), 'wsfe');

    const key: LaneKey = {
      environment: this.config.afip.environment,
      cuit,
      ptoVta: cab.PtoVta,
      cbteTipo: cab.CbteTipo,
    };
    const journalId = await this.invoices.open(
      {
        apiKeyId: context.apiKeyId,
        idempotencyKey: context.idempotencyKey,
        requestHash: createHash('sha256').update(canonicalJson(context.body)).digest('hex'),
        cuit,
        ptoVta: cab.PtoVta,
        cbteTipo: cab.CbteTipo,
        request: context.body as object,
      },
      context.requestId,
    );
    const queued = performance.now();
    let laneMs: number | undefined;
    const outcome = await this.inLane(key, (session) => {
      laneMs = performance.now() - queued;
      return this.emit(session, journalId, dto, today, context);
    }).catch((error: unknown): LaneOutcome => ({
      error: laneFailure(error, laneMs !== undefined),
      // Failing inside the lane (its writes rolled back) may follow a call ARCA answered: unknown.
      attempts: laneMs === undefined ? 0 : 1,
    }));
    if ('ok' in outcome) return { ...outcome.ok, timings: { ...outcome.ok.timings, laneMs: laneMs ?? 0 } };
    const { error, attempts, sentAt, arcaMs } = outcome;
    await this.invoices.fail(
      journalId,
      cuit,
      {
        sentAt,
        state: error.code === 'AFIP_TIMEOUT' || error.code === 'INTERNAL' ? 'UNKNOWN' : 'FAILED',
        httpStatus: statusOf(error.code),
        responseBody: { code: error.code, message: error.message },
        attempts,
      },
      { actor: context.apiKeyId, arcaMs: arcaMs ?? 0, httpRequestId: context.requestId },
    );
    throw error;
  }

  private inLane<T>(key: LaneKey, work: (session: LaneSession) => Promise<T>): Promise<T> {
    const id = `${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
    const previous = this.queues.get(id) ?? Promise.resolve();
    const run = previous.then(() =>
      this.held.execute(() => this.lanes.withLane(key, this.options.laneWaitMs, work)),
    );
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return run;
  }

  /** Inside the lane: number, send, record. Never throws ARCA's failures, so the lane's doubt is committed. */
  private async emit(
    session: LaneSession,
    journalId: string,
    dto: CreateInvoiceDto,
    today: string,
    context: IssueContext,
  ): Promise<LaneOutcome> {
    const { requestId } = context;
    const { key } = session;
    const details = dto.FeCAEReq.FeDetReq.FECAEDetRequest;
    const state = await session.state();
    let attempts = 0;
    let sentAt: Date | undefined;
    let arcaMs = 0;
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await call();
      } finally {
        arcaMs += performance.now() - started;
      }
    };
    let last: number;
    try {
      last = state?.synced ? state.lastNumber : await timed(() => this.lastAuthorized(key));
    } catch (error) {
      return { error: asAppError(error), attempts, arcaMs };
    }
    const lastFch = state?.synced ? state.lastFch : undefined;
    const refusal = this.refuseStale(details, last, lastFch);
    if (refusal) {
      await session.save({ lastNumber: last, lastFch, synced: true });
      return { error: refusal, attempts, arcaMs };
    }
    const posNumbered = details[0]!.CbteDesde !== undefined;
    let sent = number(details, last, today);
    let answer: { result: FECAEResponse; recovered: boolean };
    for (;;) {
      try {
        attempts += 1;
        sentAt ??= new Date();
        answer = await timed(() => this.authorize(key, sent));
      } catch (error) {
        // The outcome is unknown or ARCA failed: the next use of the lane asks ARCA first.
        await session.save({ lastNumber: last, lastFch, synced: false });
        return { error: asAppError(error), attempts, sentAt, arcaMs };
      }
      if (posNumbered || attempts > 1 || !answer.result.Errors.some((item) => item.Code === 10016)) break;
      // ARCA's numbering moved without this lane (another system issued on this point of sale): catch up once.
      this.logger.warn(
        `lane ${key.cuit}/${key.ptoVta}/${key.cbteTipo} was behind ARCA at ${last}: renumbering`,
      );
      last = await timed(() => this.lastAuthorized(key)).catch(() => last);
      sent = number(details, last, today);
    }
    const { result, recovered } = answer;
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
      requestId,
    );
    if (recovered) response.body.recoveredWith = 'FECompConsultar';
    const journalState: JournalState = authorized.length > 0 ? 'AUTHORIZED' : 'REJECTED';
    await this.invoices.close(
      session,
      journalId,
      {
        state: journalState,
        cbteDesde: sent[0]!.CbteDesde,
        cbteHasta: sent.at(-1)!.CbteHasta,
        afipResponse: result,
        httpStatus: response.httpStatus,
        responseBody: response.body,
        attempts,
        sentAt,
      },
      result.FeDetResp.map((item, index) => ({ sent: sent[index]!, answer: item })),
      { actor: context.apiKeyId, arcaMs, httpRequestId: requestId },
    );
    this.logger.log(
      `${response.body.status} cuit=${key.cuit} ptoVta=${key.ptoVta} cbteTipo=${key.cbteTipo} ` +
        `numbers=${sent[0]!.CbteDesde}-${sent.at(-1)!.CbteHasta}${recovered ? ' (recovered with FECompConsultar)' : ''}`,
    );
    return { ok: { ...response, timings: { laneMs: 0, arcaMs } } };
  }

  /** Numbers given by the POS must be the lane's next; dates may not go back before the lane's last voucher. */
  private refuseStale(
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

  private lastAuthorized(key: LaneKey): Promise<number> {
    return this.calls.run(key.cuit, (auth) => this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo));
  }

  /** FECAESolicitar; when its answer is lost, ARCA's record of the numbers tells what happened. */
  private async authorize(
    key: LaneKey,
    sent: FECAEDetRequest[],
  ): Promise<{ result: FECAEResponse; recovered: boolean }> {
    const request = {
      FeCabReq: { CantReg: sent.length, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
      FeDetReq: sent,
    };
    try {
      return {
        result: await this.calls.run(key.cuit, (auth) => this.wsfe.authorize(auth, request)),
        recovered: false,
      };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'AFIP_TIMEOUT') throw error;
      const recorded = await this.recordedPrefix(key, sent).catch(() => undefined);
      if (!recorded || recorded.length === 0) throw error;
      this.logger.warn(
        `answer of FECAESolicitar lost; ARCA's records show ${recorded.length} voucher(s) authorized`,
      );
      return {
        result: answerFromRecords(
          { Cuit: key.cuit, PtoVta: key.ptoVta, CbteTipo: key.cbteTipo },
          sent,
          recorded,
        ),
        recovered: true,
      };
    }
  }

  private async recordedPrefix(key: LaneKey, sent: FECAEDetRequest[]): Promise<FECompConsResponse[]> {
    const recorded: FECompConsResponse[] = [];
    for (const detail of sent) {
      const record = await this.calls.run(key.cuit, (auth) =>
        this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, detail.CbteDesde),
      );
      if (!record || !sameVoucher(record, detail)) break;
      recorded.push(record);
    }
    return recorded;
  }
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

function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error), undefined, {
    cause: error,
  });
}

/**
 * A failure around the lane: before its work started, the lane could not be had in time (busy behind a slow
 * ARCA, or the database saturated) and nothing was sent; after, the lane's transaction failed and what ARCA did
 * is unknown (an internal error, logged with its cause).
 */
function laneFailure(error: unknown, started: boolean): AppError {
  if (error instanceof AppError) return error;
  if (started) return asAppError(error);
  return new AppError(
    'UNAVAILABLE',
    'the numbering lane of this point of sale and type is busy; nothing was sent to ARCA, try again',
    undefined,
    { cause: error, retryAfterSeconds: 5 },
  );
}
