import { Injectable } from '@nestjs/common';
import { WsfeClient } from '#libs/afip-wsfe';
import { AppError } from '../common/app-error.js';
import { AppConfig } from '../config/app.config.js';
import { InvoiceRepository } from './invoice.repository.js';
import { WsfeCalls } from './wsfe-calls.service.js';

/** Read-only questions about vouchers: ARCA's answer and the gateway's record side by side. */
@Injectable()
export class InvoiceLookupService {
  constructor(
    private readonly wsfe: WsfeClient,
    private readonly calls: WsfeCalls,
    private readonly invoices: InvoiceRepository,
    private readonly config: AppConfig,
  ) {}

  async lastAuthorized(cuit: number, ptoVta: number, cbteTipo: number) {
    const cbteNro = await this.calls.run(cuit, (auth) => this.wsfe.lastAuthorized(auth, ptoVta, cbteTipo));
    return { cuit, ptoVta, cbteTipo, cbteNro };
  }

  async voucher(cuit: number, ptoVta: number, cbteTipo: number, cbteNro: number) {
    const [afip, gateway] = await Promise.all([
      this.calls.run(cuit, (auth) => this.wsfe.consult(auth, cbteTipo, ptoVta, cbteNro)),
      this.invoices.findVoucher(
        { environment: this.config.afip.environment, cuit, ptoVta, cbteTipo },
        cbteNro,
      ),
    ]);
    if (!afip && !gateway) {
      throw new AppError(
        'NOT_FOUND',
        `neither ARCA nor the gateway has voucher ${cbteNro} of type ${cbteTipo} at point of sale ${ptoVta} of CUIT ${cuit}`,
      );
    }
    return { cuit, ptoVta, cbteTipo, cbteNro, afip: afip ?? null, gateway: gateway ?? null };
  }
}
