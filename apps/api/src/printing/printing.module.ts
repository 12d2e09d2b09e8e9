import { type DynamicModule, Module } from '@nestjs/common';
import { TaxpayersModule } from '../taxpayers/taxpayers.module.js';
import { IssuerProfilesService } from './issuer-profiles.service.js';
import { PrintableVoucherRepository } from './printable-voucher.repository.js';
import { AuditPrintingController, PrintingController } from './printing.controller.js';
import { PrintingService } from './printing.service.js';

/** Printed invoices: PDF (A4, 80 mm ticket) and the QR alone, for pos and auditor keys. */
@Module({})
export class PrintingModule {
  /** `auth`: the application's AuthModule (TicketService), for the registry's ticket. */
  static forRoot(auth: DynamicModule): DynamicModule {
    return {
      module: PrintingModule,
      imports: [TaxpayersModule.forRoot(auth)],
      controllers: [PrintingController, AuditPrintingController],
      providers: [IssuerProfilesService, PrintableVoucherRepository, PrintingService],
    };
  }
}
