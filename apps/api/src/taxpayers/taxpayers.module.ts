import { type DynamicModule, Module } from '@nestjs/common';
import { AfipModule } from '../afip/afip.module.js';
import { TaxpayerRepository } from './taxpayer.repository.js';
import { TaxpayersController } from './taxpayers.controller.js';
import { TaxpayersService } from './taxpayers.service.js';

/** ARCA's taxpayer registry: `GET /v1/taxpayers/{idPersona}`, and the receiver lookups of invoicing. */
@Module({})
export class TaxpayersModule {
  /** `auth`: the application's AuthModule (TicketService), shared rather than built twice. */
  static forRoot(auth: DynamicModule): DynamicModule {
    return {
      module: TaxpayersModule,
      imports: [AfipModule, auth],
      controllers: [TaxpayersController],
      providers: [TaxpayerRepository, TaxpayersService],
      exports: [TaxpayersService],
    };
  }
}
