import { Injectable } from '@nestjs/common';
import { type FECAEDetRequest, WsfeClient } from '#libs/afip-wsfe';
import { AppError } from '../../common/app-error.js';
import { BillingMetrics } from '../billing.metrics.js';
import type { InvoiceResponseDto } from '../invoice-response.dto.js';
import { InvoiceJournalRepository, type JournalRow } from '../journal/invoice-journal.repository.js';
import { sameVoucher } from '../reconciliation/lost-answer.js';
import { Reconciler, type Settlement } from '../reconciliation/reconciler.service.js';
import { WsfeCalls } from '../wsfe-calls.service.js';
import type { Attempt, LaneOutcome } from './batch-sender.service.js';
import { type LaneKey, type LaneSession, laneName } from './numbering-lane.repository.js';

/**
 * A lane's calls whose answer was lost, or whose tries ARCA may have processed after all: whether ARCA holds a
 * call's first voucher, and the call settled from ARCA's last number and records, each attempt with its answer.
 */
@Injectable()
export class LostCalls {
  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly journal: InvoiceJournalRepository,
    private readonly reconciler: Reconciler,
    private readonly metrics: BillingMetrics,
  ) {}

  /**
   * The attempts of a call whose answer was lost: settled at once if ARCA can be asked (Reconciler.settleCall:
   * ARCA's last number, then FECompConsultar only up to it), else left UNKNOWN (504).
   */
  async settle(
    session: LaneSession,
    attempts: Attempt[],
    lost: AppError,
    arcaMs: () => number,
    timed: <T>(call: () => Promise<T>) => Promise<T>,
  ): Promise<Map<Attempt, LaneOutcome>> {
    const ids = attempts.map((attempt) => attempt.id);
    const rows = await this.journal.readAll(ids, session);
    const byId = new Map(attempts.map((attempt) => [attempt.id, attempt]));
    const settlements = await timed(() =>
      this.reconciler.settleCall(session, [...rows.values()], (row) => {
        const attempt = byId.get(row.id)!;
        return { actor: attempt.actor, httpRequestId: attempt.httpRequestId };
      }),
    );
    // The rows as settled: what each client is answered.
    const settled = await this.journal.readAll(ids, session);
    return new Map(
      attempts.map((attempt) => [
        attempt,
        this.outcome(
          session,
          settlements.get(attempt.id) ?? 'blocked',
          settled.get(attempt.id),
          lost,
          arcaMs,
        ),
      ]),
    );
  }

  /**
   * What an attempt whose answer was lost is answered, from its row as settled: the stored answer, or why it was
   * not issued.
   */
  private outcome(
    session: LaneSession,
    settlement: Settlement,
    settled: JournalRow | undefined,
    lost: AppError,
    arcaMs: () => number,
  ): LaneOutcome {
    if (settlement === 'blocked') {
      this.metrics.laneBlocked(laneName(session.key));
      return { error: lost, from: 'SENT', to: 'UNKNOWN', arcaMs: arcaMs() };
    }
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
   * Does ARCA hold this very voucher under its number (an earlier try of the call was processed)? Undefined when
   * ARCA cannot be asked.
   */
  async arcaHolds(key: LaneKey, first: FECAEDetRequest): Promise<boolean | undefined> {
    try {
      const record = await this.calls.run(key.cuit, (auth) =>
        this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, first.CbteDesde),
      );
      return record !== undefined && sameVoucher(record, first);
    } catch {
      return undefined;
    }
  }
}
