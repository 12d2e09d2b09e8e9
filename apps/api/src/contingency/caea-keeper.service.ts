import { Injectable, Logger } from '@nestjs/common';
import {
  CaeaClient,
  type CodeMsg,
  daysBetween,
  type Fortnight,
  fortnightDays,
  fortnightLabel,
  nextFortnight,
  requestableFortnights,
  fortnightOf,
  WsfeClient,
  yyyymmdd,
} from '#libs/afip-wsfe';
import { LaneBatcher } from '../billing/lanes/lane-batcher.js';
import { NumberingLaneRepository } from '../billing/lanes/numbering-lane.repository.js';
import { listCredentialCuits } from '#libs/pki';
import { AppConfig } from '../config/app.config.js';
import { BillingOptions } from '../billing/billing.options.js';
import { WsfeCalls } from '../billing/wsfe-calls.service.js';
import { CaeaRepository } from './caea.repository.js';
import { isCaeaPoint } from './contingency-points.js';
import { ContingencyMetrics } from './contingency.metrics.js';

/** ARCA's code for "a CAEA was already granted for this period and order": then FECAEAConsultar returns it. */
const ALREADY_GRANTED = 15008;

/**
 * Keeps a CAEA ahead of need (a CAEA cannot be requested while ARCA is down): for every CUIT the gateway issues
 * for that has a contingency point of sale, it refreshes the points of sale from ARCA, then obtains the current
 * fortnight's CAEA and the next one's as soon as ARCA takes the request (5 days before). A refusal is logged as an
 * error and audited with ARCA's codes, once per CUIT, fortnight and codes.
 */
@Injectable()
export class CaeaKeeper {
  private readonly logger = new Logger('Contingency');
  private readonly refusalsSeen = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly options: BillingOptions,
    private readonly calls: WsfeCalls,
    private readonly client: CaeaClient,
    private readonly caeas: CaeaRepository,
    private readonly metrics: ContingencyMetrics,
    private readonly wsfe: WsfeClient,
    private readonly lanes: NumberingLaneRepository,
    private readonly batcher: LaneBatcher,
  ) {}

  /** One pass over every CUIT; what each got. */
  async keep(): Promise<{ cuit: number; obtained: string[]; failed?: string }[]> {
    const environment = this.config.afip.environment;
    const certified = listCredentialCuits(this.config.afip.certsDir).map(Number);
    const results = [];
    for (const cuit of await this.caeas.issuingCuits(environment, certified)) {
      try {
        results.push({ cuit, obtained: await this.keepCuit(cuit) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn(
          `CUIT ${cuit}: CAEAs not checked now (${message}); next check in ${this.config.contingency.checkIntervalMs} ms`,
        );
        results.push({ cuit, obtained: [], failed: message });
      }
    }
    return results;
  }

  private async keepCuit(cuit: number): Promise<string[]> {
    const environment = this.config.afip.environment;
    const now = this.options.now();
    const rows = await this.calls.run(cuit, (auth) => this.client.pointsOfSale(auth));
    await this.caeas.savePoints(environment, cuit, rows, now);
    const points = await this.caeas.points(environment, [cuit]);
    // Without a contingency point of sale ARCA refuses a CAEA (15003): nothing to keep.
    if (!points.some(isCaeaPoint)) return [];
    await this.syncContingencyLanes(
      cuit,
      points.filter(isCaeaPoint).map((point) => point.ptoVta),
    );
    const obtained: string[] = [];
    for (const fortnight of requestableFortnights(now)) {
      if (await this.caeas.find(environment, cuit, fortnight)) continue;
      if (await this.obtain(cuit, fortnight)) obtained.push(fortnightLabel(fortnight));
    }
    await this.measure(cuit, now);
    return obtained;
  }

  /**
   * While ARCA answers, each contingency lane learns ARCA's last reported number and its date, for every voucher
   * type the CUIT issues: a contingency voucher numbered while ARCA is down then follows what ARCA holds, even if
   * another system reported on the point of sale or this database was restored.
   */
  private async syncContingencyLanes(cuit: number, caeaPoints: number[]): Promise<void> {
    const environment = this.config.afip.environment;
    const lanes = await this.lanes.list(environment, [String(cuit)]);
    const types = [...new Set(lanes.map((lane) => lane.cbteTipo))];
    for (const ptoVta of caeaPoints) {
      for (const cbteTipo of types) {
        const key = { environment, cuit, ptoVta, cbteTipo };
        const arcaLast = await this.calls.run(cuit, (auth) =>
          this.wsfe.lastAuthorized(auth, ptoVta, cbteTipo),
        );
        const known =
          lanes.find((lane) => lane.ptoVta === ptoVta && lane.cbteTipo === cbteTipo)?.lastNumber ?? 0;
        if (arcaLast <= known) continue;
        const voucher = await this.calls.run(cuit, (auth) =>
          this.wsfe.consult(auth, cbteTipo, ptoVta, arcaLast),
        );
        await this.batcher.exclusive(key, async (session) => {
          const state = await session.state();
          if ((state?.lastNumber ?? 0) >= arcaLast) return;
          await session.save({
            lastNumber: arcaLast,
            lastFch: voucher?.CbteFch || state?.lastFch,
            synced: true,
          });
          this.logger.warn(
            `contingency lane ${cuit}/${ptoVta}/${cbteTipo} follows ARCA's last reported number ${arcaLast} ` +
              `(the gateway had ${state?.lastNumber ?? 0})`,
          );
        });
      }
    }
  }

  /** FECAEASolicitar, or FECAEAConsultar when ARCA already granted it; stored. False when ARCA refused. */
  private async obtain(cuit: number, fortnight: Fortnight): Promise<boolean> {
    const environment = this.config.afip.environment;
    let answer = await this.calls.run(cuit, (auth) => this.client.request(auth, fortnight));
    if ('errors' in answer && answer.errors.some((error) => error.Code === ALREADY_GRANTED)) {
      answer = await this.calls.run(cuit, (auth) => this.client.consult(auth, fortnight));
    }
    if ('errors' in answer) {
      await this.refused(cuit, fortnight, answer.errors);
      return false;
    }
    await this.caeas.save(environment, cuit, answer.grant);
    const { grant } = answer;
    const notes = grant.Observaciones.map((item) => `${item.Code} ${item.Msg}`).join('; ');
    this.logger.log(
      `CUIT ${cuit}: CAEA ${grant.CAEA} for ${fortnightLabel(fortnight)} (${grant.FchVigDesde}-${grant.FchVigHasta}, ` +
        `report by ${grant.FchTopeInf})${notes ? `; ARCA observes: ${notes}` : ''}`,
    );
    await this.caeas.record({
      kind: 'caea.obtained',
      actor: 'gateway',
      subject: `${cuit}/caea/${fortnightLabel(fortnight)}`,
      cuit: String(cuit),
      payload: { environment, ...grant },
    });
    return true;
  }

  private async refused(cuit: number, fortnight: Fortnight, errors: CodeMsg[]): Promise<void> {
    const codes = errors.map((error) => error.Code).join(',');
    for (const error of errors)
      this.metrics.caeaRefusals.inc({ cuit: String(cuit), code: String(error.Code) });
    const seen = `${cuit}/${fortnightLabel(fortnight)}/${codes}`;
    if (this.refusalsSeen.has(seen)) return;
    this.refusalsSeen.add(seen);
    if (this.refusalsSeen.size > 10_000) this.refusalsSeen.clear();
    this.logger.error(
      `CUIT ${cuit}: ARCA refused the CAEA for ${fortnightLabel(fortnight)}: ` +
        errors.map((error) => `${error.Code} ${error.Msg}`).join('; ') +
        ' (sales cannot go on under contingency in that fortnight until one is obtained)',
    );
    await this.caeas.record({
      kind: 'caea.refused',
      actor: 'gateway',
      subject: `${cuit}/caea/${fortnightLabel(fortnight)}`,
      cuit: String(cuit),
      payload: {
        environment: this.config.afip.environment,
        periodo: fortnight.periodo,
        orden: fortnight.orden,
        errors: errors.map((error) => ({ code: error.Code, msg: error.Msg })),
      },
    });
  }

  /** Fortnights covered from today on, and days until the first day without a CAEA. */
  private async measure(cuit: number, now: Date): Promise<void> {
    const environment = this.config.afip.environment;
    const today = yyyymmdd(now);
    let fortnight = fortnightOf(today);
    let covered = 0;
    while (await this.caeas.find(environment, cuit, fortnight)) {
      covered += 1;
      fortnight = nextFortnight(fortnight);
    }
    const uncoveredFrom = covered === 0 ? today : fortnightDays(fortnight).from;
    this.metrics.fortnightsCovered.set({ cuit: String(cuit) }, covered);
    this.metrics.daysUncovered.set({ cuit: String(cuit) }, Math.max(0, daysBetween(today, uncoveredFrom)));
  }
}
