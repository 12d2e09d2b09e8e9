import { type CodeMsg, type FECAEDetRequest, type FECAEResponse, qrPayload, qrUrl } from '#libs/afip-wsfe';
import type { InvoiceResponseDto, IssuedInvoiceDto } from './invoice-response.dto.js';

const STATUS = { A: 'authorized', R: 'rejected', P: 'partial' } as const;

/** The gateway's answer from ARCA's: 201 when anything was authorized, 422 when ARCA rejected everything. */
export function invoiceResponse(
  header: { cuit: number; ptoVta: number; cbteTipo: number },
  sent: FECAEDetRequest[],
  result: FECAEResponse,
  requestId: string,
  /** Where each detail's CondicionIVAReceptorId came from, when the gateway knows. */
  sources?: string[],
): { httpStatus: number; body: InvoiceResponseDto } {
  const status = STATUS[result.FeCabResp?.Resultado ?? 'R'];
  const invoices = result.FeDetResp.map((answer, index): IssuedInvoiceDto => {
    const detail = sent[index];
    const authorized = answer.Resultado === 'A' && !!answer.CAE;
    return {
      cbteDesde: answer.CbteDesde,
      cbteHasta: answer.CbteHasta,
      cbteFch: answer.CbteFch,
      resultado: answer.Resultado,
      emisionTipo: 'CAE',
      ...(authorized ? { cae: answer.CAE, caeFchVto: answer.CAEFchVto } : {}),
      observaciones: codeMsgs(answer.Observaciones),
      ...receiverCondition(detail, sources?.[index]),
      ...(authorized && detail
        ? {
            qr: voucherQr(header, detail, answer.CbteDesde, answer.CbteFch, {
              type: 'CAE',
              code: answer.CAE,
            }),
          }
        : {}),
    };
  });
  return {
    httpStatus: status === 'rejected' ? 422 : 201,
    body: {
      status,
      ...header,
      invoices,
      errors: codeMsgs(result.Errors),
      events: codeMsgs(result.Events),
      afip: result as unknown as Record<string, unknown>,
      requestId,
    },
  };
}

/** A voucher's `condicionIvaReceptor`: the id sent to ARCA and where it came from, when there is one. */
export function receiverCondition(detail: FECAEDetRequest | undefined, source: string | undefined) {
  return detail?.CondicionIVAReceptorId
    ? { condicionIvaReceptor: { id: detail.CondicionIVAReceptorId, ...(source ? { source } : {}) } }
    : {};
}

/** A voucher's RG 4892 QR: `tipoCodAut` E with the CAE, A with the CAEA. */
export function voucherQr(
  header: { cuit: number; ptoVta: number; cbteTipo: number },
  detail: FECAEDetRequest,
  cbteNro: number,
  cbteFch: string,
  authorization: { type: 'CAE' | 'CAEA'; code: string },
): { url: string } {
  return {
    url: qrUrl(
      qrPayload({
        ...header,
        cbteNro,
        cbteFch,
        impTotal: detail.ImpTotal,
        monId: detail.MonId ?? 'PES',
        monCotiz: detail.MonCotiz ?? 1,
        docTipo: detail.DocTipo,
        docNro: detail.DocNro,
        codAut: authorization.code,
        authorizationType: authorization.type,
      }),
    ),
  };
}

function codeMsgs(list: CodeMsg[] | undefined): { code: number; msg: string }[] {
  return (list ?? []).map((item) => ({ code: item.Code, msg: item.Msg }));
}
