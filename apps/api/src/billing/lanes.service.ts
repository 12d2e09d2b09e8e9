import { Injectable, Logger } from '@nestjs/common';
import { WsfeClient, yyyymmdd } from '#libs/afip-wsfe';
import type { Principal } from '../access/principal.js';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';
import { BillingMetrics } from './billing.metrics.js';
import { BillingOptions } from './billing.options.js';
import { InvoiceRepository } from './invoice.repository.js';
import { LaneBatcher } from './lanes/lane-batcher.js';
import {
  type LaneKey,
  type LaneView,
  laneName,
  NumberingLaneRepository,
} from './lanes/numbering-lane.repository.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { WsfeCalls } from './wsfe-calls.service.js';
import { CaeaRepository } from '../contingency/caea.repository.js';
import { contingencyPointFor, isCaeaPoint } from '../contingency/contingency-points.js';

export interface ResyncResult {
  lane: LaneView;
  arcaLast: number;
  gatewayLast: number;
  /** The gateway's vouchers above ARCA's last number, now kept as superseded. */
  superseded: number;
}

/** Numbering lanes as operators see them, and the resync that resumes a diverged one. */
@Injectable()
export class LanesService {
  private readonly logger = new Logger('Lanes');

  constructor(
    private readonly config: AppConfig,
    private readonly lanes: NumberingLaneRepository,
    private readonly invoices: InvoiceRepository,
    private readonly reconciler: Reconciler,
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly batcher: LaneBatcher,
    private readonly options: BillingOptions,
    private readonly caeas: CaeaRepository,
    metrics: BillingMetrics,
  ) {
    metrics.readDivergedLanesWith(() => this.lanes.countDiverged());
  }

  /**
   * The lanes, each with the date before which it refuses vouchers when that date is after today, whether its
   * point of sale is a CAE or a CAEA (contingency) one as ARCA lists it, and a CAE lane's contingency point of sale.
   */
  async list(
    environment: string | undefined,
    cuits: string[] | undefined,
  ): Promise<
    (LaneView & {
      datesBlockedUntil: string | null;
      emisionTipo: 'CAE' | 'CAEA';
      contingencyPtoVta: number | null;
    })[]
  > {
    const today = yyyymmdd(this.options.now());
    const env = environment ?? this.config.afip.environment;
    const [lanes, points] = await Promise.all([
      this.lanes.list(env, cuits),
      this.caeas.points(env, cuits?.map(Number)),
    ]);
    return lanes.map((lane) => {
      const cuit = Number(lane.cuit);
      const caea = points.some(
        (point) => point.cuit === cuit && point.ptoVta === lane.ptoVta && isCaeaPoint(point),
      );
      return {
        ...lane,
        datesBlockedUntil: lane.lastCbteFch !== null && lane.lastCbteFch > today ? lane.lastCbteFch : null,
        emisionTipo: caea ? 'CAEA' : 'CAE',
        contingencyPtoVta: caea
          ? null
          : (contingencyPointFor(cuit, lane.ptoVta, points, this.config.contingency.pairs) ?? null),
      };
    });
  }

  /**
   * Accepts ARCA's numbering for a lane after an operator confirmed ARCA's data was reset: its doubts settled
   * first, the gateway's vouchers above ARCA's last number superseded (kept), the lane numbering from ARCA's
   * last number again, and a `lane.resynced` entry saying who did it.
   */
  async resync(
    lane: Omit<LaneKey, 'environment'>,
    confirm: string | undefined,
    principal: Principal,
  ): Promise<ResyncResult> {
    const key: LaneKey = { environment: this.config.afip.environment, ...lane };
    const typed = `${key.cuit}/${key.ptoVta}/${key.cbteTipo}`;
    if (key.environment === 'production' && confirm !== typed) {
      throw new AppError(
        'VALIDATION_FAILED',
        `in production a resync must be confirmed: send {"confirm": "${typed}"} once ARCA's numbering is checked`,
        [{ field: 'confirm', rule: 'confirmation', message: `confirm must be "${typed}"` }],
      );
    }
    const who = { actor: principal.keyId, httpRequestId: '' };
    const result = await this.batcher.exclusive(key, async (session) => {
      const blocking = await this.reconciler.settleLane(session, who);
      if (blocking) {
        throw new AppError(
          'UNAVAILABLE',
          `lane ${typed} has a voucher in doubt that ARCA cannot be asked about now; resync it once ARCA answers`,
          undefined,
          { retryAfterSeconds: 10 },
        );
      }
      const arcaLast = await this.calls.run(key.cuit, (auth) =>
        this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo),
      );
      const gatewayLast = await this.invoices.highestAuthorized(session);
      const superseded = await this.invoices.supersedeAbove(
        session,
        arcaLast,
        `resync by API key ${principal.name} (${principal.keyId}): ARCA's last number was ${arcaLast}`,
      );
      await session.resync(arcaLast, { gatewayLast, superseded, actor: principal.keyId });
      return { arcaLast, gatewayLast, superseded };
    });
    this.logger.warn(
      `lane ${laneName(key)} (${key.environment}) resynced by ${principal.name}: ARCA's last ${result.arcaLast}, ` +
        `the gateway's ${result.gatewayLast}, ${result.superseded} voucher(s) superseded`,
    );
    const [view] = (await this.lanes.list(key.environment, [String(key.cuit)])).filter(
      (item) => item.ptoVta === key.ptoVta && item.cbteTipo === key.cbteTipo,
    );
    return { lane: view!, ...result };
  }
}
