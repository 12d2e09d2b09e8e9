import { describe, expect, it } from 'vitest';
import type { FECAEDetRequest, FECompConsResponse } from '#libs/afip-wsfe';
import { answerFromRecords, sameVoucher } from './lost-answer.js';

const sent = (CbteDesde: number): FECAEDetRequest => ({
  Concepto: 1,
  DocTipo: 96,
  DocNro: 12345678,
  CbteDesde,
  CbteHasta: CbteDesde,
  CbteFch: '20261124',
  ImpTotal: 1210,
  ImpTotConc: 0,
  ImpNeto: 1000,
  ImpOpEx: 0,
  ImpTrib: 0,
  ImpIVA: 210,
});
const recorded = (detail: FECAEDetRequest, changes: Partial<FECompConsResponse> = {}) =>
  ({
    ...detail,
    Resultado: 'A',
    CodAutorizacion: '74000000000001',
    FchVto: '20261204',
    FchProceso: '20261124101010',
    EmisionTipo: 'CAE',
    Observaciones: [],
    PtoVta: 1,
    CbteTipo: 6,
    ...changes,
  }) as FECompConsResponse;

describe('lost answers', () => {
  it("recognizes the gateway's own voucher and not another sale under the same number", () => {
    expect(sameVoucher(recorded(sent(5)), sent(5))).toBe(true);
    expect(sameVoucher(recorded(sent(5), { ImpTotal: 99 }), sent(5))).toBe(false);
    expect(sameVoucher(recorded(sent(5), { DocNro: 1 }), sent(5))).toBe(false);
    expect(sameVoucher(recorded(sent(5), { CbteFch: '20261123' }), sent(5))).toBe(false);
  });

  it('rebuilds a partial answer when only a prefix of the batch was recorded', () => {
    const batch = [sent(5), sent(6)];
    const answer = answerFromRecords({ Cuit: 20123456789, PtoVta: 1, CbteTipo: 6 }, batch, [
      recorded(batch[0]!),
    ]);
    expect(answer.FeCabResp?.Resultado).toBe('P');
    expect(answer.FeDetResp.map((item) => [item.CbteDesde, item.Resultado, item.CAE])).toEqual([
      [5, 'A', '74000000000001'],
      [6, 'R', ''],
    ]);
  });
});
