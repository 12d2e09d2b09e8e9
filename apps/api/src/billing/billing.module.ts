import { type DynamicModule, Module } from '@nestjs/common';
import { TaxpayersModule } from '../taxpayers/taxpayers.module.js';
import { ReceiverConditions } from './receiver-conditions.js';
import { AfipModule } from '../afip/afip.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { HealthModule } from '../health/health.module.js';
import { BillingOptions } from './billing.options.js';
import { AppConfig } from '../config/app.config.js';
import { InvoiceLookupService } from './invoice-lookup.service.js';
import { BillingMetrics } from './billing.metrics.js';
import { InvoiceJournalRepository } from './journal/invoice-journal.repository.js';
import { InvoiceRepository } from './invoice.repository.js';
import { InvoicesController } from './invoices.controller.js';
import { InvoicesService } from './invoices.service.js';
import { LanesController } from './lanes.controller.js';
import { LanesService } from './lanes.service.js';
import { NumberingLaneRepository } from './lanes/numbering-lane.repository.js';
import { ParamTablesService } from './param-tables.service.js';
import { ParamsController } from './params.controller.js';
import { ReconcileJob } from './reconciliation/reconcile.job.js';
import { LostCalls } from './lanes/lost-calls.service.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { RowSettler } from './reconciliation/row-settler.service.js';
import { BatchSender } from './lanes/batch-sender.service.js';
import { LaneBatcher } from './lanes/lane-batcher.js';
import { WsfeCalls } from './wsfe-calls.service.js';
import { CaeaKeeper } from '../contingency/caea-keeper.service.js';
import { CaeaRepository } from '../contingency/caea.repository.js';
import { ContingencyController } from '../contingency/contingency.controller.js';
import { ContingencyIssuer } from '../contingency/contingency-issuer.service.js';
import { ContingencyJobs } from '../contingency/contingency.jobs.js';
import { ContingencyMetrics } from '../contingency/contingency.metrics.js';
import { ContingencyReporter } from '../contingency/contingency-reporter.service.js';
import { ContingencyService } from '../contingency/contingency.service.js';
import { ContingencyVouchersRepository } from '../contingency/contingency-vouchers.repository.js';

@Module({})
export class BillingModule {
  /** `auth`: the application's AuthModule (TicketService), shared rather than built twice. */
  static forRoot(auth: DynamicModule, options: Partial<BillingOptions> = {}): DynamicModule {
    return {
      module: BillingModule,
      imports: [AfipModule, AuditModule, HealthModule, auth, TaxpayersModule.forRoot(auth)],
      // The CAEA contingency lives in ../contingency but shares the lanes and ARCA calls of invoicing.
      controllers: [InvoicesController, ParamsController, LanesController, ContingencyController],
      providers: [
        {
          provide: BillingOptions,
          inject: [AppConfig],
          useFactory: (config: AppConfig) =>
            Object.assign(
              new BillingOptions(),
              { breakerHalfOpenMs: config.afip.circuitHalfOpenMs },
              options,
            ),
        },
        WsfeCalls,
        ParamTablesService,
        ReceiverConditions,
        NumberingLaneRepository,
        InvoiceRepository,
        InvoiceJournalRepository,
        BillingMetrics,
        Reconciler,
        RowSettler,
        BatchSender,
        LostCalls,
        LaneBatcher,
        ReconcileJob,
        InvoicesService,
        InvoiceLookupService,
        LanesService,
        CaeaRepository,
        ContingencyVouchersRepository,
        ContingencyMetrics,
        ContingencyIssuer,
        CaeaKeeper,
        ContingencyReporter,
        ContingencyJobs,
        ContingencyService,
      ],
    };
  }
}
