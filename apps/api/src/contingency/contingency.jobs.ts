import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app.config.js';
import { CaeaKeeper } from './caea-keeper.service.js';
import { ContingencyReporter, type ReportSummary } from './contingency-reporter.service.js';

/**
 * Runs the contingency's two jobs: keeping CAEAs ahead (at start, then every CAEA_CHECK_INTERVAL_MS) and reporting
 * contingency vouchers (every CAEA_REPORT_INTERVAL_MS). A pass never overlaps itself; a start-up never waits for
 * ARCA. Only schedules and delegates.
 */
@Injectable()
export class ContingencyJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Contingency');
  private readonly timers: NodeJS.Timeout[] = [];
  private keeping?: Promise<unknown>;
  private reporting?: Promise<ReportSummary>;

  constructor(
    private readonly config: AppConfig,
    private readonly keeper: CaeaKeeper,
    private readonly reporter: ContingencyReporter,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.contingency.enabled) return;
    void this.keep();
    const keep = setInterval(() => void this.keep(), this.config.contingency.checkIntervalMs);
    const report = setInterval(
      () => void this.report().catch(() => undefined),
      this.config.contingency.reportIntervalMs,
    );
    keep.unref();
    report.unref();
    this.timers.push(keep, report);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([this.keeping, this.reporting]);
  }

  keep(): Promise<unknown> {
    this.keeping ??= this.keeper
      .keep()
      .catch((error: unknown) => this.logger.error({ err: error }, 'CAEA check failed; the next one retries'))
      .finally(() => (this.keeping = undefined));
    return this.keeping;
  }

  /** One reporting pass now, or the one already running. */
  report(): Promise<ReportSummary> {
    this.reporting ??= this.reporter.reportAll().finally(() => (this.reporting = undefined));
    return this.reporting;
  }
}
