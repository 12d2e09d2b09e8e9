import type { FECAEADetRequest } from '#libs/afip-wsfe';
import { receiverCondition, voucherQr } from '../billing/invoice-response.js';
import type { AppError } from '../common/app-error.js';
import type { InvoiceResponseDto } from '../billing/invoice-response.dto.js';
import type { LaneKey } from '../billing/lanes/numbering-lane.repository.js';
import type { StoredCaea } from './caea.repository.js';

/**
 * The answer for a sale issued under a CAEA: the same shape as a CAE answer, each voucher with `emisionTipo`
 * `CAEA`, its CAEA, contingency point of sale, generation time and reporting deadline, and its RG 4892 QR with
 * `tipoCodAut` A. `afip` is empty: ARCA has not seen the vouchers yet.
 */
export function contingencyResponse(
  key: LaneKey,
  requestedPtoVta: number,
  caea: StoredCaea,
  details: FECAEADetRequest[],
  reason: AppError,
  requestId: string,
  sources?: string[],
): InvoiceResponseDto {
  return {
    status: 'authorized',
    cuit: key.cuit,
    ptoVta: key.ptoVta,
    cbteTipo: key.cbteTipo,
    invoices: details.map((detail, index) => ({
      cbteDesde: detail.CbteDesde,
      cbteHasta: detail.CbteHasta,
      cbteFch: detail.CbteFch ?? '',
      resultado: 'A',
      emisionTipo: 'CAEA',
      caea: caea.caea,
      ptoVta: key.ptoVta,
      cbteFchHsGen: detail.CbteFchHsGen,
      fchTopeInf: caea.fchTopeInf,
      caeaFchVigHasta: caea.fchVigHasta,
      observaciones: [],
      ...receiverCondition(detail, sources?.[index]),
      qr: voucherQr(
        { cuit: key.cuit, ptoVta: key.ptoVta, cbteTipo: key.cbteTipo },
        detail,
        detail.CbteDesde,
        detail.CbteFch ?? '',
        { type: 'CAEA', code: caea.caea },
      ),
    })),
    errors: [],
    events: [],
    afip: {},
    contingency: {
      reason: reason.code,
      message: reason.message,
      requestedPtoVta,
      caea: caea.caea,
      periodo: caea.periodo,
      orden: caea.orden,
    },
    requestId,
  };
}
