import { Injectable, Logger } from '@nestjs/common';
import {
  argentinaMidnight,
  CaeaClient,
  type CaeaReportResult,
  type FECAEADetResponse,
  WsfeClient,
  yyyymmdd,
} from '#libs/afip-wsfe';
import type { AuditRecord } from '../audit/audit-entry.repository.js';
import { AppConfig } from '../config/app.config.js';
import { BillingOptions } from '../billing/billing.options.js';
import { LaneBatcher } from '../billing/lanes/lane-batcher.js';
import type { LaneKey, LaneSession } from '../billing/lanes/numbering-lane.repository.js';
import { ParamTablesService } from '../billing/param-tables.service.js';
import { laneName } from '../billing/lanes/numbering-lane.repository.js';
import { WsfeCalls } from '../billing/wsfe-calls.service.js';
import { CaeaRepository } from './caea.repository.js';
import { isCaeaPoint } from './contingency-points.js';
import {
  type ContingencyVoucher,
  ContingencyVouchersRepository,
  type ReportState,
} from './contingency-vouchers.repository.js';
import { ContingencyMetrics } from './contingency.metrics.js';

/** ARCA takes reports from the day after the CAEA's validity starts (1414): too early is "later", not a refusal. */
const TOO_EARLY = 1414;
/** SinMovimiento codes meaning the point of sale is settled already: already declared, or it has vouchers. */
const ALREADY_DECLARED = 1209;

/** What one reporting pass did. */
export interface ReportSummary {
  reported: number;
  observed: number;
  rejected: number;
  pending: number;
  withoutMovement: number;
  failures: string[];
}

/**
 * Reports contingency vouchers to ARCA (FECAEARegInformativo) when it answers again: per contingency lane, in
 * number order, up to FECompTotXRequest per call, under the lane's lock. Before sending, ARCA's last reported
 * number settles any voucher whose earlier report lost its answer. ARCA's answer for each voucher is stored and
 * audited; a rejected or observed one raises an alarm (the voucher exists already: a person has to act) and a
 * rejected one holds the lane's later vouchers back (ARCA takes only the next number). After a fortnight ends,
 * each contingency point of sale that issued nothing under its CAEA is declared without movement.
 */
@Injectable()
export class ContingencyReporter {
  private readonly logger = new Logger('Contingency');
  private readonly deadlineWarned = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly options: BillingOptions,
    private readonly calls: WsfeCalls,
    private readonly wsfe: WsfeClient,
    private readonly client: CaeaClient,
    private readonly caeas: CaeaRepository,
    private readonly vouchers: ContingencyVouchersRepository,
    private readonly batcher: LaneBatcher,
    private readonly params: ParamTablesService,
    private readonly metrics: ContingencyMetrics,
  ) {}

  async reportAll(): Promise<ReportSummary> {
    const summary: ReportSummary = {
      reported: 0,
      observed: 0,
      rejected: 0,
      pending: 0,
      withoutMovement: 0,
      failures: [],
    };
    const environment = this.config.afip.environment;
    for (const key of await this.vouchers.lanesToReport(environment)) {
      try {
        await this.batcher.exclusive(key, (session) => this.reportLane(session, summary));
      } catch (error) {
        summary.failures.push(`${laneName(key)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    try {
      summary.withoutMovement = await this.declareIdle();
    } catch (error) {
      summary.failures.push(`without movement: ${error instanceof Error ? error.message : String(error)}`);
    }
    await this.watchDeadlines();
    if (summary.failures.length > 0) {
      this.logger.warn(
        `contingency report incomplete, retried in ${this.config.contingency.reportIntervalMs} ms: ${summary.failures.join('; ')}`,
      );
    }
    return summary;
  }

  private async reportLane(session: LaneSession, summary: ReportSummary): Promise<void> {
    const { key } = session;
    const { vouchers, blockedBy } = await this.vouchers.toReport(session);
    if (blockedBy !== undefined && vouchers.some((voucher) => voucher.cbteNro > blockedBy)) {
      summary.pending += vouchers.length;
      this.logger.error(
        `${laneName(key)}: contingency voucher ${blockedBy} was rejected by ARCA when reported; the ${vouchers.length} ` +
          'after it wait until it is corrected and reported (GET /v1/contingency lists it)',
      );
      return;
    }
    let pending = await this.settleReported(session, vouchers, summary);
    const max = await this.params.maxRecords(key.cuit);
    while (pending.length > 0) {
      const batch = pending.slice(0, max);
      const result = await this.calls.run(key.cuit, (auth) =>
        this.client.report(
          auth,
          key.ptoVta,
          key.cbteTipo,
          batch.map((voucher) => voucher.detail),
        ),
      );
      const stop = await this.store(session, batch, result, summary);
      if (stop) {
        summary.pending += pending.length - batch.length;
        return;
      }
      pending = pending.slice(batch.length);
    }
  }

  /**
   * Vouchers ARCA already holds (an earlier report whose answer was lost): FECompConsultar says so, and they are
   * recorded as reported. The rest, to send.
   */
  private async settleReported(
    session: LaneSession,
    vouchers: ContingencyVoucher[],
    summary: ReportSummary,
  ): Promise<ContingencyVoucher[]> {
    const { key } = session;
    const arcaLast = await this.calls.run(key.cuit, (auth) =>
      this.wsfe.lastAuthorized(auth, key.ptoVta, key.cbteTipo),
    );
    const held = vouchers.filter((voucher) => voucher.cbteNro <= arcaLast);
    const outcomes: { id: string; state: ReportState; answer: object }[] = [];
    for (const voucher of held) {
      const found = await this.calls.run(key.cuit, (auth) =>
        this.wsfe.consult(auth, key.cbteTipo, key.ptoVta, voucher.cbteNro),
      );
      const same = found?.CodAutorizacion === voucher.caea;
      outcomes.push({
        id: voucher.id,
        state: same ? 'REPORTED' : 'REJECTED',
        answer: { recoveredWith: 'FECompConsultar', arca: found ?? null },
      });
      if (!same) {
        this.logger.error(
          `${laneName(key)}: ARCA holds another voucher under contingency number ${voucher.cbteNro} ` +
            `(${found?.CodAutorizacion ?? 'none'}); the gateway's voucher under CAEA ${voucher.caea} needs a person`,
        );
      }
    }
    if (outcomes.length > 0) {
      await this.vouchers.settle(
        session,
        outcomes,
        reportedEntry(key, {
          recoveredWith: 'FECompConsultar',
          vouchers: outcomes.map((outcome, index) => ({
            cbteNro: held[index]!.cbteNro,
            state: outcome.state,
          })),
        }),
      );
      for (const outcome of outcomes) this.count(outcome.state, summary);
    }
    return vouchers.filter((voucher) => voucher.cbteNro > arcaLast);
  }

  /** Stores ARCA's answer for each voucher of a call; true when the lane must stop (a rejection, or too early). */
  private async store(
    session: LaneSession,
    batch: ContingencyVoucher[],
    result: CaeaReportResult,
    summary: ReportSummary,
  ): Promise<boolean> {
    const { key } = session;
    const outcomes: { id: string; state: ReportState; answer: object }[] = [];
    let stop = false;
    batch.forEach((voucher, index) => {
      const answer = result.FeDetResp[index] as FECAEADetResponse | undefined;
      const codes = [...(answer?.Observaciones ?? []), ...(result.Errors ?? [])];
      if (answer?.Resultado === 'A') {
        outcomes.push({
          id: voucher.id,
          state: answer.Observaciones.length > 0 ? 'OBSERVED' : 'REPORTED',
          answer,
        });
        return;
      }
      if (stop) return; // not processed after a rejection: sent again on the next pass
      stop = true;
      if (codes.some((code) => code.Code === TOO_EARLY)) {
        this.logger.warn(
          `${laneName(key)}: ARCA takes this CAEA's reports from the day after its validity starts; later`,
        );
        return;
      }
      outcomes.push({
        id: voucher.id,
        state: 'REJECTED',
        answer: { ...(answer ?? {}), Errors: result.Errors },
      });
    });
    summary.pending += batch.length - outcomes.length;
    for (const outcome of outcomes) this.count(outcome.state, summary);
    for (const outcome of outcomes.filter((item) => item.state !== 'REPORTED')) {
      const voucher = batch.find((item) => item.id === outcome.id)!;
      const answer = outcome.answer as {
        Observaciones?: { Code: number; Msg: string }[];
        Errors?: { Code: number; Msg: string }[];
      };
      const codes = [...(answer.Observaciones ?? []), ...(answer.Errors ?? [])].map(
        (code) => `${code.Code} ${code.Msg}`,
      );
      this.logger.error(
        `ALARM ${laneName(key)} contingency voucher ${voucher.cbteNro} (CAEA ${voucher.caea}) ${outcome.state} by ARCA ` +
          `when reported: ${codes.join('; ') || 'no codes'}. The voucher was already issued: a person has to act`,
      );
    }
    if (outcomes.length > 0) {
      await this.vouchers.settle(
        session,
        outcomes,
        reportedEntry(key, {
          resultado: result.FeCabResp?.Resultado,
          vouchers: outcomes.map((outcome) => {
            const voucher = batch.find((item) => item.id === outcome.id)!;
            const answer = outcome.answer as { Observaciones?: unknown[] };
            return {
              cbteNro: voucher.cbteNro,
              caea: voucher.caea,
              state: outcome.state,
              observaciones: answer.Observaciones ?? [],
            };
          }),
          errors: result.Errors ?? [],
        }),
      );
    }
    return stop;
  }

  /**
   * After a fortnight ends (and before its deadline), each contingency point of sale that issued nothing under
   * its CAEA is declared without movement (FECAEASinMovimientoInformar). How many were declared.
   */
  private async declareIdle(): Promise<number> {
    const environment = this.config.afip.environment;
    const today = yyyymmdd(this.options.now());
    let declared = 0;
    const ended = (await this.caeas.list(environment)).filter(
      (caea) => caea.fchVigHasta < today && today <= caea.fchTopeInf,
    );
    for (const caea of ended) {
      const points = (await this.caeas.points(environment, [caea.cuit])).filter(isCaeaPoint);
      const done = await this.caeas.declaredWithoutMovement(environment, caea.cuit);
      for (const point of points) {
        if (done.has(`${caea.periodo}/${caea.orden}/${point.ptoVta}`)) continue;
        if (await this.vouchers.used(environment, caea.cuit, point.ptoVta, caea.caea)) continue;
        const answer = await this.calls.run(caea.cuit, (auth) =>
          this.client.withoutMovement(auth, point.ptoVta, caea.caea),
        );
        const settled =
          answer.resultado === 'A' || answer.errors.some((error) => error.Code === ALREADY_DECLARED);
        await this.caeas.recordWithoutMovement(
          environment,
          caea.cuit,
          caea,
          point.ptoVta,
          settled ? 'A' : 'R',
          answer.errors,
        );
        if (settled) {
          declared += 1;
          this.logger.log(
            `CUIT ${caea.cuit}: contingency point of sale ${point.ptoVta} declared without movement for CAEA ${caea.caea} (${caea.periodo}/${caea.orden})`,
          );
        } else {
          this.logger.error(
            `CUIT ${caea.cuit}: ARCA refused to record point of sale ${point.ptoVta} without movement for CAEA ${caea.caea}: ` +
              answer.errors.map((error) => `${error.Code} ${error.Msg}`).join('; '),
          );
        }
      }
    }
    return declared;
  }

  /** Unreported vouchers and the hours left to their deadline, per CUIT; an error a day before it. */
  private async watchDeadlines(): Promise<void> {
    const environment = this.config.afip.environment;
    const now = this.options.now();
    const caeas = await this.caeas.list(environment);
    const perCuit = new Map<number, { count: number; hours: number }>();
    for (const row of await this.vouchers.unreported(environment)) {
      const caea = caeas.find((item) => item.cuit === row.cuit && item.caea === row.caea);
      // FchTopeInf is the last day to report: the deadline is the end of that day in Argentina.
      const deadline = caea ? argentinaMidnight(caea.fchTopeInf).getTime() + 86_400_000 : now.getTime();
      const hours = (deadline - now.getTime()) / 3_600_000;
      const current = perCuit.get(row.cuit) ?? { count: 0, hours: Number.POSITIVE_INFINITY };
      perCuit.set(row.cuit, { count: current.count + row.count, hours: Math.min(current.hours, hours) });
    }
    this.metrics.unreported.reset();
    this.metrics.deadlineHours.reset();
    for (const [cuit, { count, hours }] of perCuit) {
      this.metrics.unreported.set({ cuit: String(cuit) }, count);
      this.metrics.deadlineHours.set({ cuit: String(cuit) }, Math.round(hours * 10) / 10);
      const warned = this.deadlineWarned.get(String(cuit)) ?? 0;
      if (hours <= 24 && now.getTime() - warned > 3_600_000) {
        this.deadlineWarned.set(String(cuit), now.getTime());
        this.logger.error(
          `CUIT ${cuit}: ${count} contingency voucher(s) not reported to ARCA, ${Math.max(0, Math.round(hours))} h ` +
            "before ARCA's reporting deadline (FchTopeInf): ARCA must answer, or a person must act",
        );
      }
    }
  }

  private count(state: ReportState, summary: ReportSummary): void {
    this.metrics.reports.inc({ result: state });
    if (state === 'REPORTED') summary.reported += 1;
    else if (state === 'OBSERVED') summary.observed += 1;
    else if (state === 'REJECTED') summary.rejected += 1;
  }
}

/** The `contingency.reported` audit entry of a lane's report: ARCA's outcome for each voucher. */
function reportedEntry(key: LaneKey, payload: Record<string, unknown>): AuditRecord {
  return {
    kind: 'contingency.reported',
    actor: 'gateway',
    subject: `${laneName(key)}/contingency`,
    cuit: String(key.cuit),
    payload: { environment: key.environment, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo, ...payload },
  };
}
