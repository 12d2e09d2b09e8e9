import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { FCE_TYPES, yyyymmdd } from '#libs/afip-wsfe';
import { canonicalJson } from '../audit/canonical-json.js';
import { TicketService } from '../auth/ticket.service.js';
import { AppError, type AppErrorCode } from '../common/app-error.js';
import { isSaturation } from '../common/saturation.js';
import { statusOf } from '../common/error-status.js';
import { AppConfig } from '../config/app.config.js';
import { BillingMetrics } from './billing.metrics.js';
import { BillingOptions } from './billing.options.js';
import { decide } from './idempotency/idempotency.js';
import { precheck } from './invoice-precheck.js';
import type { CreateInvoiceDto } from './invoice-request.dto.js';
import type { InvoiceResponseDto } from './invoice-response.dto.js';
import type { AuditRecord } from '../audit/audit-entry.repository.js';
import { InvoiceJournalRepository, type JournalRow } from './journal/invoice-journal.repository.js';
import { asAppError, type Attempt, type LaneOutcome } from './lanes/batch-sender.service.js';
import { type ContingencyOutcome, ContingencyIssuer } from '../contingency/contingency-issuer.service.js';
import { LaneBatcher } from './lanes/lane-batcher.js';
import { type LaneKey, laneName } from './lanes/numbering-lane.repository.js';
import { ParamTablesService } from './param-tables.service.js';
import { ReceiverConditions } from './receiver-conditions.js';
import { Reconciler } from './reconciliation/reconciler.service.js';

export interface IssueContext {
  requestId: string;
  /** The body as the client sent it, kept in the journal. */
  body: unknown;
  idempotencyKey?: string;
  /** The API key that asked: the journal's and the audit's "who". */
  apiKeyId: string;
  /** `Allow-Date-Advance: true`: vouchers may be dated after today and after their lane's last date. */
  allowDateAdvance?: boolean;
  /** `Allow-Contingency` (default true): a sale ARCA cannot take may be issued under the fortnight's CAEA. */
  allowContingency?: boolean;
}

export interface IssueResult {
  httpStatus: number;
  body: InvoiceResponseDto;
  /** Where the time went, for `Server-Timing`: waiting for the lane, and waiting for ARCA inside it. */
  timings: { laneMs: number; arcaMs: number };
  /** The stored answer of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * POST /v1/invoices: checks what can be checked locally, journals the request (or finds the one that used its
 * Idempotency-Key), then numbers and sends it inside its (cuit, ptoVta, cbteTipo) lane, so no two requests of a
 * lane ever race for a number on any replica, and a retry never becomes a second invoice.
 */
@Injectable()
export class InvoicesService {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly config: AppConfig,
    private readonly params: ParamTablesService,
    private readonly tickets: TicketService,
    private readonly journal: InvoiceJournalRepository,
    private readonly batcher: LaneBatcher,
    private readonly reconciler: Reconciler,
    private readonly metrics: BillingMetrics,
    private readonly options: BillingOptions,
    private readonly receivers: ReceiverConditions,
    private readonly contingency: ContingencyIssuer,
  ) {}

  async issue(dto: CreateInvoiceDto, context: IssueContext): Promise<IssueResult> {
    const cuit = dto.Auth.Cuit;
    const cab = dto.FeCAEReq.FeCabReq;
    const today = yyyymmdd(this.options.now());
    const [tables, maxRecords] = await Promise.all([
      this.params.ruleTables(cuit),
      this.params.maxRecords(cuit),
    ]);
    const requestHash = createHash('sha256').update(canonicalJson(context.body)).digest('hex');
    // Before the local checks, which then see the receiver's condition as ARCA will. A retry of a finished sale
    // gets its answer even while the registry cannot be asked.
    const receiverSources = await this.receivers.fill(dto).catch(async (error: unknown) => {
      const earlier = context.idempotencyKey
        ? await this.journal.findByKey(context.apiKeyId, context.idempotencyKey)
        : undefined;
      if (earlier && decide(earlier, requestHash) === 'replay') return replay(earlier);
      throw error;
    });
    if (!Array.isArray(receiverSources)) return receiverSources;
    precheck(dto, { today, tables, maxRecords });
    // The ticket is fetched outside the lane: a lane holder never waits for a login.
    await this.tickets.get(String(cuit), 'wsfe');

    const key: LaneKey = {
      environment: this.config.afip.environment,
      cuit,
      ptoVta: cab.PtoVta,
      cbteTipo: cab.CbteTipo,
    };
    const request = {
      apiKeyId: context.apiKeyId,
      idempotencyKey: context.idempotencyKey,
      requestHash,
      environment: key.environment,
      cuit,
      ptoVta: cab.PtoVta,
      cbteTipo: cab.CbteTipo,
      request: context.body as object,
    };
    const opened = await this.journal.open(request);
    const resumed =
      'existing' in opened ? await this.resume(key, opened.existing, requestHash, context) : undefined;
    if (resumed && 'replayed' in resumed) return resumed;
    // A new row's `invoice.requested` entry goes with its first move (sent, or refused); a taken-over row has one.
    const attempt = resumed ?? {
      ...(opened as { id: string; token: string }),
      requested: InvoiceJournalRepository.requestedEntry(
        (opened as { id: string }).id,
        request,
        requestHash,
        context.requestId,
      ),
    };
    const details = dto.FeCAEReq.FeDetReq.FECAEDetRequest;
    const dates = new Set(details.map((detail) => detail.CbteFch ?? today));
    const plan = {
      numbered: details[0]!.CbteDesde !== undefined,
      // ARCA takes one FCE voucher per call; a voucher dated after today moves the lane's date for every voucher
      // after it, so it travels alone; so does a request of several dates (a batch is sent in date order).
      alone: FCE_TYPES.has(cab.CbteTipo) || dates.size > 1 || [...dates].some((date) => date > today),
      maxRecords,
    };
    return this.run(key, dto, today, context, { ...attempt, receiverSources }, plan);
  }

  /** A request whose Idempotency-Key was used before: its stored answer, or the attempt to run for it. */
  private async resume(
    key: LaneKey,
    row: JournalRow,
    requestHash: string,
    context: IssueContext,
  ): Promise<IssueResult | { id: string; token: string }> {
    for (let round = 0; round < 5; round += 1) {
      switch (decide(row, requestHash)) {
        case 'mismatch':
          throw new AppError(
            'CONFLICT',
            `Idempotency-Key ${context.idempotencyKey} was first used with a different request body; ` +
              'a new sale needs a new key',
            [{ field: 'Idempotency-Key', rule: 'idempotency', message: 'reused with a different body' }],
          );
        case 'replay':
          return replay(row);
        case 'take-over': {
          const token = await this.journal.takeOver(
            row,
            context.apiKeyId,
            context.requestId,
            context.idempotencyKey,
          );
          if (token) {
            this.logger.log(
              `Idempotency-Key ${context.idempotencyKey}: retrying journal ${row.id} (was ${row.state})`,
            );
            return { id: row.id, token };
          }
          break;
        }
        case 'settle':
          await this.settle(key, context);
          break;
      }
      const fresh = await this.journal.read(row.id);
      if (!fresh) throw new Error(`journal row ${row.id} vanished`);
      if ((fresh.state === 'SENT' || fresh.state === 'UNKNOWN') && row.state === fresh.state) {
        throw new AppError(
          'AFIP_TIMEOUT',
          `the first request with Idempotency-Key ${context.idempotencyKey} was sent to ARCA and its outcome is not ` +
            'known yet (ARCA cannot be asked now); retry with the same key to get it',
          undefined,
          { retryAfterSeconds: 10 },
        );
      }
      row = fresh;
    }
    throw new AppError(
      'CONFLICT',
      `the request with Idempotency-Key ${context.idempotencyKey} is still in flight`,
      undefined,
      {
        retryAfterSeconds: 2,
      },
    );
  }

  /** Lets the lane settle a sent row: waits behind its live owner, or reconciles it when the owner is gone. */
  private async settle(key: LaneKey, context: IssueContext): Promise<void> {
    try {
      await this.batcher.exclusive(key, (session) =>
        this.reconciler.settleLane(session, { actor: context.apiKeyId, httpRequestId: context.requestId }),
      );
    } catch (error) {
      if (error instanceof AppError && error.code !== 'INTERNAL') throw error;
      throw new AppError(
        'CONFLICT',
        `the first request with Idempotency-Key ${context.idempotencyKey} is still in flight; retry with the same key`,
        undefined,
        { cause: error, retryAfterSeconds: 2 },
      );
    }
  }

  /** One attempt at a journal row, in its lane's next call; a failure is written to the journal before it is thrown. */
  private async run(
    key: LaneKey,
    dto: CreateInvoiceDto,
    today: string,
    context: IssueContext,
    attempt: { id: string; token: string; requested?: AuditRecord; receiverSources?: string[] },
    plan: { numbered: boolean; alone: boolean; maxRecords: number },
  ): Promise<IssueResult> {
    const lanedAttempt: Attempt = {
      ...attempt,
      details: dto.FeCAEReq.FeDetReq.FECAEDetRequest,
      today,
      allowDateAdvance: context.allowDateAdvance === true,
      actor: context.apiKeyId,
      httpRequestId: context.requestId,
    };
    const result = await this.batcher.submit(key, lanedAttempt, plan);
    const outcome = result.outcome ?? (await this.failed(attempt, result.failure!));
    if ('ok' in outcome) {
      return {
        ...outcome.ok,
        timings: { laneMs: result.laneMs, arcaMs: outcome.ok.arcaMs },
        replayed: false,
      };
    }
    const { to, arcaMs } = outcome;
    let { error, from } = outcome;
    if (context.allowContingency !== false && ContingencyIssuer.eligible(error, to)) {
      const issued = await this.contingent(key, lanedAttempt, error, from);
      if ('issued' in issued) {
        return { ...issued.issued, timings: { laneMs: result.laneMs, arcaMs }, replayed: false };
      }
      from = issued.from;
      error = issued.error ?? error;
    }
    const moved = await this.journal
      .fail(
        attempt.id,
        attempt.token,
        key.cuit,
        from,
        {
          state: to,
          httpStatus: statusOf(error.code),
          responseBody: { code: error.code, message: error.message },
          actor: context.apiKeyId,
          httpRequestId: context.requestId,
          arcaMs,
        },
        attempt.requested,
      )
      .catch((failure: unknown) => {
        this.logger.error({ err: failure }, `journal ${attempt.id} could not be closed; the reconciler will`);
        return false;
      });
    if (moved) this.metrics.outcome(to);
    throw error;
  }

  /**
   * ARCA could not authorize an attempt that certainly did not reach it: its row is released (nothing in doubt) and
   * the sale issued under the fortnight's CAEA. When no contingency is possible, the row's state to fail from.
   */
  private async contingent(
    key: LaneKey,
    attempt: Attempt,
    error: AppError,
    from: 'PENDING' | 'SENT',
  ): Promise<
    Extract<ContingencyOutcome, { issued: unknown }> | { from: 'PENDING' | 'SENT'; error?: AppError }
  > {
    const route = await this.contingency.route(key, this.options.now());
    if ('unavailable' in route) return { from };
    if (from === 'SENT' && !(await this.journal.release(attempt.id, attempt.token))) return { from };
    try {
      const outcome = await this.contingency.issue(key, attempt, error, route);
      if ('issued' in outcome) {
        this.metrics.outcome('AUTHORIZED');
        return outcome;
      }
      this.logger.warn(`${laneName(key)}: no contingency for this sale: ${outcome.unavailable}`);
      return { from: 'PENDING' };
    } catch (failure) {
      // Refused on the contingency lane (its dates), or its transaction failed: nothing was issued.
      return { from: 'PENDING', error: laneFailure(failure, false) };
    }
  }

  /**
   * The lane failed around the attempt. Not had in time: nothing was sent. Failed inside: its writes rolled back,
   * but the journal's SENT (written on its own) tells whether the voucher left.
   */
  private async failed(
    attempt: { id: string; token: string },
    failure: { error: unknown; started: boolean },
  ): Promise<LaneOutcome> {
    const row = failure.started ? await this.journal.read(attempt.id).catch(() => undefined) : undefined;
    const sent = row?.state === 'SENT' && row.attemptToken === attempt.token;
    return {
      error: laneFailure(failure.error, failure.started),
      from: sent ? 'SENT' : 'PENDING',
      to: sent ? 'UNKNOWN' : 'FAILED',
      arcaMs: 0,
    };
  }
}

/** The stored answer of a finished request: its body (201, 422), or its refusal thrown again. */
function replay(row: JournalRow): IssueResult {
  const status = row.httpStatus ?? 500;
  if (status === 201 || status === 422) {
    return {
      httpStatus: status,
      body: row.responseBody as InvoiceResponseDto,
      timings: { laneMs: 0, arcaMs: 0 },
      replayed: true,
    };
  }
  const body = (row.responseBody ?? {}) as { code?: string; message?: string };
  throw new AppError((body.code ?? 'INTERNAL') as AppErrorCode, body.message ?? 'the first request failed');
}

/**
 * A failure around the lane: before its work started, the lane could not be had in time (busy behind a slow
 * ARCA, or the database saturated) and nothing was sent; after, the lane's transaction failed and what ARCA did
 * is unknown: a 503 when the database was full or lost, else an internal error, logged with its cause.
 */
function laneFailure(error: unknown, started: boolean): AppError {
  if (error instanceof AppError) return error;
  // Started: its writes rolled back and the journal (SENT or not) tells the retry with the same Idempotency-Key
  // what happened; asAppError makes a full or lost database a 503, anything else a 500. Not started, a lane not
  // had for want of a database connection is a 503 of the same kind.
  if (started || isSaturation(error)) return asAppError(error);
  return new AppError(
    'UNAVAILABLE',
    'the numbering lane of this point of sale and type is busy; nothing was sent to ARCA, try again',
    undefined,
    { cause: error, retryAfterSeconds: 5 },
  );
}
