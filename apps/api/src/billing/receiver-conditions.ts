import { Injectable } from '@nestjs/common';
import { ivaCondition } from '#libs/afip-padron';
import { AppError, type ErrorDetail } from '../common/app-error.js';
import { TaxpayersService } from '../taxpayers/taxpayers.service.js';
import type { CreateInvoiceDto } from './invoice-request.dto.js';

const DETAILS = 'FeCAEReq.FeDetReq.FECAEDetRequest';
/** DocTipo 80: the receiver is identified by CUIT; 99: an unidentified final consumer. */
const CUIT = 80;
const UNIDENTIFIED = 99;
const FINAL_CONSUMER = 5;

/**
 * CondicionIVAReceptorId, mandatory from 2026-12-01 (WSFEv1 manual v4.8, 10246), for details sent without it: a
 * CUIT receiver's from ARCA's taxpayer registry, an unidentified consumer's 5; any other receiver must say it.
 * Nothing is guessed: an unknown CUIT, a constancia that cannot tell the condition, or a registry that cannot be
 * asked refuses the request before anything is written.
 */
@Injectable()
export class ReceiverConditions {
  constructor(private readonly taxpayers: TaxpayersService) {}

  /** Fills the details in place; returns where each detail's value came from. */
  async fill(dto: CreateInvoiceDto): Promise<string[]> {
    const details = dto.FeCAEReq.FeDetReq.FECAEDetRequest;
    const missing = (index: number) => !details[index]!.CondicionIVAReceptorId;
    const cuits = [
      ...new Set(details.filter((d, i) => missing(i) && d.DocTipo === CUIT).map((d) => d.DocNro)),
    ];
    const found = new Map(
      await Promise.all(
        cuits.map(async (cuit) => [cuit, await this.taxpayers.persona(dto.Auth.Cuit, cuit)] as const),
      ),
    );
    const problems: ErrorDetail[] = [];
    const sources = details.map((detail, index) => {
      if (!missing(index)) return 'request';
      const field = `${DETAILS}.${index}.CondicionIVAReceptorId`;
      if (detail.DocTipo === UNIDENTIFIED) {
        detail.CondicionIVAReceptorId = FINAL_CONSUMER;
        return 'DocTipo 99';
      }
      if (detail.DocTipo !== CUIT) {
        problems.push({
          field,
          rule: '10246',
          message:
            `${field} is required for DocTipo ${detail.DocTipo} (ARCA 10246 from 2026-12-01): the gateway looks up ` +
            "only a CUIT receiver (DocTipo 80) in ARCA's registry, and gives 5 to DocTipo 99",
        });
        return '';
      }
      const persona = found.get(detail.DocNro)?.persona;
      if (!persona) {
        const docNro = `${DETAILS}.${index}.DocNro`;
        problems.push({
          field: docNro,
          rule: 'registry',
          message: `${docNro}: ARCA's taxpayer registry has no person with CUIT ${detail.DocNro} (No existe persona con ese Id)`,
        });
        return '';
      }
      const reading = ivaCondition(persona);
      if (reading.id === null) {
        problems.push({
          field,
          rule: '10246',
          message:
            `${field} is required: ARCA's registry cannot tell the IVA condition of CUIT ${detail.DocNro} ` +
            `(${reading.reason}); send it`,
        });
        return '';
      }
      detail.CondicionIVAReceptorId = reading.id;
      return 'registry';
    });
    if (problems.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        problems.map((problem) => problem.message).join('; '),
        problems,
      );
    }
    return sources;
  }
}
