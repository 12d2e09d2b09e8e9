import type { FECAEDetRequest, FECAEResponse, FECompConsResponse } from '#libs/afip-wsfe';

/**
 * Is the voucher ARCA recorded under this number the one the gateway sent (not another sale's)? Compared on
 * range, date, receiver, total and currency.
 */
export function sameVoucher(recorded: FECompConsResponse, sent: FECAEDetRequest): boolean {
  return (
    recorded.CbteHasta === sent.CbteHasta &&
    recorded.CbteFch === sent.CbteFch &&
    recorded.DocTipo === sent.DocTipo &&
    recorded.DocNro === sent.DocNro &&
    Math.abs(recorded.ImpTotal - sent.ImpTotal) < 0.005 &&
    (recorded.MonId || 'PES') === (sent.MonId || 'PES')
  );
}

/**
 * FECAESolicitar's answer rebuilt from FECompConsultar after the real one was lost: the details ARCA recorded
 * (a prefix of the batch, as ARCA processes in order) are authorized; the rest were not processed.
 */
export function answerFromRecords(
  header: { Cuit: number; PtoVta: number; CbteTipo: number },
  sent: FECAEDetRequest[],
  recorded: FECompConsResponse[],
): FECAEResponse {
  return {
    FeCabResp: {
      ...header,
      FchProceso: recorded[0]?.FchProceso ?? '',
      CantReg: sent.length,
      Resultado: recorded.length === sent.length ? 'A' : 'P',
      Reproceso: 'N',
    },
    FeDetResp: sent.map((detail, index) => {
      const record = recorded[index];
      return {
        Concepto: detail.Concepto,
        DocTipo: detail.DocTipo,
        DocNro: detail.DocNro,
        CbteDesde: detail.CbteDesde,
        CbteHasta: detail.CbteHasta,
        CbteFch: detail.CbteFch ?? '',
        Resultado: record ? 'A' : 'R',
        Observaciones: record?.Observaciones ?? [],
        CAE: record?.CodAutorizacion ?? '',
        CAEFchVto: record?.FchVto ?? '',
      };
    }),
    Events: [],
    Errors: [],
  };
}
