import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../health/metrics.service.js';

/** What the CAEA contingency adds to /metrics: coverage ahead, vouchers to report and their deadline, alarms. */
@Injectable()
export class ContingencyMetrics {
  readonly fortnightsCovered: Gauge<'cuit'>;
  readonly daysUncovered: Gauge<'cuit'>;
  readonly unreported: Gauge<'cuit'>;
  readonly deadlineHours: Gauge<'cuit'>;
  readonly reports: Counter<'result'>;
  readonly caeaRefusals: Counter<'cuit' | 'code'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.fortnightsCovered = new Gauge({
      name: 'arca_caea_fortnights_covered',
      help: 'Fortnights from the current one on with a CAEA obtained, per CUIT with contingency points of sale',
      labelNames: ['cuit'],
      registers,
    });
    this.daysUncovered = new Gauge({
      name: 'arca_caea_days_until_uncovered',
      help: 'Days until the first day without a CAEA (0: today has none), per CUIT with contingency points of sale',
      labelNames: ['cuit'],
      registers,
    });
    this.unreported = new Gauge({
      name: 'arca_contingency_unreported_vouchers',
      help: 'Contingency (CAEA) vouchers not yet reported to ARCA, per CUIT',
      labelNames: ['cuit'],
      registers,
    });
    this.deadlineHours = new Gauge({
      name: 'arca_contingency_deadline_hours',
      help: "Hours left until ARCA's reporting deadline (FchTopeInf) of the oldest unreported contingency voucher",
      labelNames: ['cuit'],
      registers,
    });
    this.reports = new Counter({
      name: 'arca_contingency_reported_total',
      help: 'Contingency vouchers reported with FECAEARegInformativo, by outcome (REPORTED, OBSERVED, REJECTED)',
      labelNames: ['result'],
      registers,
    });
    this.caeaRefusals = new Counter({
      name: 'arca_caea_refusals_total',
      help: 'CAEA requests ARCA refused, per CUIT and ARCA code',
      labelNames: ['cuit', 'code'],
      registers,
    });
  }
}
