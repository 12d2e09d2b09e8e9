import { Injectable, Logger } from '@nestjs/common';
import { type FECAEADetRequest, fortnightOf, yyyymmdd, yyyymmddhhmmss } from '#libs/afip-wsfe';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';
import { BillingOptions } from '../billing/billing.options.js';
import { toWsfeDetail } from '../billing/invoice-mapping.js';
import type { InvoiceResponseDto } from '../billing/invoice-response.dto.js';
import { journalSubject } from '../billing/journal/invoice-journal.repository.js';
import type { Attempt } from '../billing/lanes/batch-sender.service.js';
import { dateDetails } from '../billing/lanes/lane-dates.js';
import { LaneBatcher } from '../billing/lanes/lane-batcher.js';
import type { LaneKey, LaneSession } from '../billing/lanes/numbering-lane.repository.js';
import { CaeaRepository, type StoredCaea } from './caea.repository.js';
import { contingencyPointFor } from './contingency-points.js';
import { contingencyResponse } from './contingency-response.js';
import { ContingencyVouchersRepository } from './contingency-vouchers.repository.js';

/** A sale issued under a CAEA, or why it could not be (then the sale gets ARCA's 503, as without contingency). */
export type ContingencyOutcome =
  { issued: { httpStatus: number; body: InvoiceResponseDto } } | { unavailable: string };

/**
 * Sales ARCA could not authorize, issued at once on the CUIT's contingency point of sale under the current
 * fortnight's CAEA (RG 5782). Only sales that certainly did not reach ARCA come here (a sale in doubt never gets a
 * second voucher). The contingency lane is numbered by the gateway, under the lane's lock like any other lane,
 * and a sale's journal row, vouchers and audit entries commit together, as for a CAE.
 */
@Injectable()
export class ContingencyIssuer {
  private readonly logger = new Logger('Contingency');

  constructor(
    private readonly config: AppConfig,
    private readonly options: BillingOptions,
    private readonly caeas: CaeaRepository,
    private readonly vouchers: ContingencyVouchersRepository,
    private readonly batcher: LaneBatcher,
  ) {}

  /** Whether a failed attempt may be issued under contingency: ARCA is down and the attempt never reached it. */
  static eligible(error: AppError, to: 'FAILED' | 'UNKNOWN'): boolean {
    return to === 'FAILED' && (error.code === 'AFIP_UNREACHABLE' || error.arcaDown === true);
  }

  /** Where a sale on the CAE lane `key` would be issued under contingency now, or why it cannot be. */
  async route(
    key: LaneKey,
    now: Date,
  ): Promise<{ ptoVta: number; caea: StoredCaea } | { unavailable: string }> {
    if (!this.config.contingency.enabled)
      return { unavailable: 'CAEA contingency is off (CAEA_CONTINGENCY=off)' };
    const points = await this.caeas.points(key.environment, [key.cuit]);
    const ptoVta = contingencyPointFor(key.cuit, key.ptoVta, points, this.config.contingency.pairs);
    if (ptoVta === undefined) {
      return {
        unavailable: `CUIT ${key.cuit} has no contingency (CAEA) point of sale for point of sale ${key.ptoVta}`,
      };
    }
    const fortnight = fortnightOf(yyyymmdd(now));
    const caea = await this.caeas.find(key.environment, key.cuit, fortnight);
    if (!caea) {
      return {
        unavailable: `no CAEA was obtained for CUIT ${key.cuit} for ${fortnight.periodo}/${fortnight.orden}`,
      };
    }
    return { ptoVta, caea };
  }

  /**
   * Issues the attempt under contingency, where `route` said; `reason` is why ARCA could not authorize it.
   */
  async issue(
    key: LaneKey,
    attempt: Attempt,
    reason: AppError,
    route: { ptoVta: number; caea: StoredCaea },
  ): Promise<ContingencyOutcome> {
    if (attempt.details.some((detail) => detail.CbteDesde !== undefined)) {
      return { unavailable: 'the request carries numbers of the CAE point of sale' };
    }
    const now = this.options.now();
    const lane: LaneKey = { ...key, ptoVta: route.ptoVta };
    const outcome = await this.batcher.exclusive(lane, (session) =>
      this.issueIn(session, key.ptoVta, route.caea, attempt, reason, now),
    );
    if ('issued' in outcome) {
      const numbers = outcome.issued.body.invoices.map((voucher) => voucher.cbteDesde).join(', ');
      this.logger.warn(
        `${key.cuit}/${key.ptoVta}/${key.cbteTipo}: ARCA could not authorize (${reason.code}); issued under CAEA ` +
          `${route.caea.caea} as ${lane.ptoVta}/${lane.cbteTipo} number ${numbers}, to report when ARCA answers`,
      );
    }
    return outcome;
  }

  private async issueIn(
    session: LaneSession,
    requestedPtoVta: number,
    caea: StoredCaea,
    attempt: Attempt,
    reason: AppError,
    now: Date,
  ): Promise<ContingencyOutcome> {
    const key = session.key;
    const state = await session.state();
    // The gateway numbers its contingency lane: its own record, or ARCA's last reported number when higher.
    const last = Math.max(state?.lastNumber ?? 0, await this.vouchers.highest(session));
    const dating = dateDetails(
      key,
      attempt.details,
      attempt.today,
      { number: last, date: state?.lastFch },
      attempt.allowDateAdvance,
    );
    if ('error' in dating) throw dating.error;
    if (dating.dates.some((date) => date < caea.fchVigDesde || date > caea.fchVigHasta)) {
      return {
        unavailable: `the voucher's date is outside CAEA ${caea.caea}'s validity (${caea.fchVigDesde}-${caea.fchVigHasta})`,
      };
    }
    const generated = yyyymmddhhmmss(now);
    const details: FECAEADetRequest[] = attempt.details.map((detail, index) => ({
      ...toWsfeDetail(detail, {
        CbteDesde: last + 1 + index,
        CbteHasta: last + 1 + index,
        CbteFch: dating.dates[index]!,
      }),
      CAEA: caea.caea,
      CbteFchHsGen: generated,
    }));
    const body = contingencyResponse(
      key,
      requestedPtoVta,
      caea,
      details,
      reason,
      attempt.httpRequestId,
      attempt.receiverSources,
    );
    const issued = await this.vouchers.issue(session, {
      journalId: attempt.id,
      token: attempt.token,
      httpStatus: 201,
      responseBody: body,
      details,
      fchVigHasta: caea.fchVigHasta,
      audit: [
        ...(attempt.requested ? [attempt.requested] : []),
        {
          kind: 'invoice.contingency',
          actor: attempt.actor,
          subject: journalSubject(attempt.id),
          cuit: String(key.cuit),
          payload: {
            environment: key.environment,
            requestedPtoVta,
            ptoVta: key.ptoVta,
            cbteTipo: key.cbteTipo,
            caea: caea.caea,
            periodo: caea.periodo,
            orden: caea.orden,
            fchTopeInf: caea.fchTopeInf,
            vouchers: details.map((detail) => ({
              cbteDesde: detail.CbteDesde,
              cbteFch: detail.CbteFch,
              cbteFchHsGen: detail.CbteFchHsGen,
              impTotal: detail.ImpTotal,
            })),
            reason: { code: reason.code, message: reason.message },
            httpRequestId: attempt.httpRequestId,
          },
        },
      ],
    });
    if (!issued) {
      throw new AppError(
        'CONFLICT',
        'a retry with the same Idempotency-Key took this request over; retry with the key to get its answer',
        undefined,
        { retryAfterSeconds: 1 },
      );
    }
    await session.save({ lastNumber: details.at(-1)!.CbteHasta, lastFch: dating.dates.at(-1), synced: true });
    return { issued: { httpStatus: 201, body } };
  }
}
