import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app.config.js';
import { BillingOptions } from '../billing.options.js';
import { InvoiceJournalRepository } from '../journal/invoice-journal.repository.js';
import { NumberingLaneRepository } from '../lanes/numbering-lane.repository.js';
import { laneName } from '../lanes/numbering-lane.repository.js';
import { Reconciler } from './reconciler.service.js';

/**
 * Settles what no request is waiting for: at start-up the vouchers a crashed gateway left in doubt, then
 * periodically every lane with one, taking only lanes nobody holds. Requests that were never sent and whose
 * replica died are marked FAILED, so a retry runs them again.
 */
@Injectable()
export class ReconcileJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly options: BillingOptions,
    private readonly journal: InvoiceJournalRepository,
    private readonly lanes: NumberingLaneRepository,
    private readonly reconciler: Reconciler,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: a start-up never waits for ARCA.
    this.running = this.sweep();
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, this.options.reconcileIntervalMs);
    this.timer.unref();
    void this.running.finally(() => (this.running = undefined));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over the lanes in doubt; returns how many lanes it settled completely. */
  async sweep(): Promise<number> {
    try {
      const abandoned = await this.journal.abandon(this.options.abandonAfterMs);
      if (abandoned > 0)
        this.logger.warn(`${abandoned} request(s) never sent by a stopped gateway marked FAILED`);
      let clear = 0;
      for (const key of await this.journal.lanesInDoubt(this.config.afip.environment)) {
        const held = await this.lanes.tryLane(key, (session) =>
          this.reconciler.settleLane(session, { actor: 'gateway', httpRequestId: 'reconciler' }),
        );
        // Not had: a request holds the lane, and settles it on entry.
        if (!held) continue;
        if (held.value) this.logger.warn(`lane ${laneName(key)} stays blocked: ARCA cannot be asked`);
        else clear += 1;
      }
      return clear;
    } catch (error) {
      this.logger.error({ err: error }, 'reconciliation pass failed; the next one retries');
      return 0;
    }
  }
}
