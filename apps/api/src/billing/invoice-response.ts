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
      ...(detail?.CondicionIVAReceptorId
        ? {
            condicionIvaReceptor: {
              id: detail.CondicionIVAReceptorId,
              ...(sources?.[index] ? { source: sources[index] } : {}),
            },
          }
        : {}),
      ...(authorized && detail
        ? {
            qr: {
              url: qrUrl(
                qrPayload({
                  cuit: header.cuit,
                  ptoVta: header.ptoVta,
                  cbteTipo: header.cbteTipo,
                  cbteNro: answer.CbteDesde,
                  cbteFch: answer.CbteFch,
                  impTotal: detail.ImpTotal,
                  monId: detail.MonId ?? 'PES',
                  monCotiz: detail.MonCotiz ?? 1,
                  docTipo: answer.DocTipo,
                  docNro: answer.DocNro,
                  codAut: answer.CAE,
                  authorizationType: 'CAE',
                }),
              ),
            },
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

function codeMsgs(list: CodeMsg[] | undefined): { code: number; msg: string }[] {
  return (list ?? []).map((item) => ({ code: item.Code, msg: item.Msg }));
}
