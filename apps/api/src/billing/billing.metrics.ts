import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../health/metrics.service.js';

/** What invoicing adds to /metrics: outcomes, reconciliations, and how long lanes stayed blocked by a doubt. */
@Injectable()
export class BillingMetrics {
  private readonly outcomes: Counter<'state'>;
  private readonly reconciliations: Counter<'result'>;
  private readonly blockedSeconds: Counter;
  private readonly blockedLanes: Gauge;
  private readonly conflicts: Counter;
  private readonly batchRequests: Histogram;
  private readonly batchVouchers: Histogram;
  private readonly calls: Counter;
  private readonly divergedLanes: Gauge;
  private countDiverged: () => Promise<number> = () => Promise.resolve(0);
  /** Lanes this replica found blocked, and since when. */
  private readonly blockedSince = new Map<string, number>();

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: 'arca_invoice_requests_total',
      help: 'POST /v1/invoices attempts by the journal state they ended in',
      labelNames: ['state'] as const,
      registers,
    });
    this.reconciliations = new Counter({
      name: 'arca_reconciliations_total',
      help: 'Vouchers in doubt looked up with FECompConsultar, by what was found',
      labelNames: ['result'] as const,
      registers,
    });
    this.blockedSeconds = new Counter({
      name: 'arca_lane_blocked_seconds_total',
      help: 'Time numbering lanes spent blocked by a voucher in doubt that ARCA could not be asked about',
      registers,
    });
    this.blockedLanes = new Gauge({
      name: 'arca_lanes_blocked',
      help: 'Numbering lanes blocked right now by a voucher in doubt',
      registers,
      collect: () => this.blockedLanes.set(this.blockedSince.size),
    });
    this.conflicts = new Counter({
      name: 'arca_number_conflicts_total',
      help: 'Numbers ARCA authorized that the gateway had already recorded as authorized (the earlier record superseded)',
      registers,
    });
    this.batchRequests = new Histogram({
      name: 'arca_batch_requests',
      help: 'Requests (POST /v1/invoices) carried by one FECAESolicitar of a numbering lane',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.batchVouchers = new Histogram({
      name: 'arca_batch_size',
      help: 'Vouchers (FECAEDetRequest) carried by one FECAESolicitar of a numbering lane',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.calls = new Counter({
      name: 'arca_fecaesolicitar_calls_total',
      help: 'FECAESolicitar calls made by numbering lanes (a batch is one call)',
      registers,
    });
    this.divergedLanes = new Gauge({
      name: 'arca_lanes_diverged',
      help: "Numbering lanes stopped because ARCA's last number is behind the gateway's records (cluster-wide)",
      registers,
      collect: async () => this.divergedLanes.set(await this.countDiverged().catch(() => 0)),
    });
  }

  /** Where the diverged-lane gauge reads its value from at each scrape. */
  readDivergedLanesWith(count: () => Promise<number>): void {
    this.countDiverged = count;
  }

  /** One FECAESolicitar of a lane: how many requests and vouchers it carried. */
  batch(requests: number, vouchers: number): void {
    this.calls.inc();
    this.batchRequests.observe(requests);
    this.batchVouchers.observe(vouchers);
  }

  numberConflict(): void {
    this.conflicts.inc();
  }

  outcome(state: string): void {
    this.outcomes.inc({ state });
  }

  reconciled(result: string): void {
    this.reconciliations.inc({ result });
  }

  laneBlocked(lane: string): void {
    if (!this.blockedSince.has(lane)) this.blockedSince.set(lane, performance.now());
  }

  laneClear(lane: string): void {
    const since = this.blockedSince.get(lane);
    if (since === undefined) return;
    this.blockedSince.delete(lane);
    this.blockedSeconds.inc((performance.now() - since) / 1000);
  }
}
