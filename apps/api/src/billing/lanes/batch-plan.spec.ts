import { describe, expect, it } from 'vitest';
import type { FECAEDetResponse, FECAEResponse } from '#libs/afip-wsfe';
import { isNumberingRefusal, type Plannable, splitResult, takeBatch, topUp } from './batch-plan.js';

const sale = (vouchers = 1, more: Partial<Plannable> = {}): Plannable & { name?: string } => ({
  vouchers,
  numbered: false,
  alone: false,
  ...more,
});

function answer(resultado: 'A' | 'R', number: number, observed = false): FECAEDetResponse {
  return {
    Concepto: 1,
    DocTipo: 96,
    DocNro: 1,
    CbteDesde: number,
    CbteHasta: number,
    CbteFch: '20261130',
    Resultado: resultado,
    Observaciones: observed ? [{ Code: 10048, Msg: 'ImpTotal' }] : [],
    CAE: resultado === 'A' ? `7${String(number).padStart(13, '0')}` : '',
    CAEFchVto: resultado === 'A' ? '20261210' : '',
  };
}

function result(details: FECAEDetResponse[], errors: { Code: number; Msg: string }[] = []): FECAEResponse {
  const authorized = details.filter((item) => item.Resultado === 'A').length;
  return {
    FeCabResp: {
      Cuit: 20123456789,
      PtoVta: 1,
      CbteTipo: 6,
      FchProceso: '20261130120000',
      CantReg: details.length,
      Resultado: authorized === details.length ? 'A' : authorized === 0 ? 'R' : 'P',
      Reproceso: 'N',
    },
    FeDetResp: details,
    Events: [{ Code: 10247, Msg: 'an event for everyone' }],
    Errors: errors,
  };
}

describe('takeBatch: what the next call carries', () => {
  it('takes every queued request that fits in FECompTotXRequest, in order, never splitting one', () => {
    const queue = [sale(1), sale(3), sale(2), sale(1)];
    expect(takeBatch(queue, 5).map((item) => item.vouchers)).toEqual([1, 3]);
    expect(queue.map((item) => item.vouchers)).toEqual([2, 1]);
    expect(takeBatch(queue, 5).map((item) => item.vouchers)).toEqual([2, 1]);
    expect(queue).toEqual([]);
    expect(takeBatch(queue, 5)).toEqual([]);
  });

  it('cuts at FECompTotXRequest: 600 single sales become calls of 250, 250 and 100', () => {
    const queue = Array.from({ length: 600 }, () => sale());
    const sizes: number[] = [];
    while (queue.length > 0) sizes.push(takeBatch(queue, 250).length);
    expect(sizes).toEqual([250, 250, 100]);
  });

  it('sends a POS-numbered request, an FCE voucher or a post-dated one alone, and stops a batch before them', () => {
    const queue = [sale(), sale(), sale(1, { numbered: true }), sale(1, { alone: true }), sale()];
    expect(takeBatch(queue, 250)).toHaveLength(2);
    expect(takeBatch(queue, 250)).toEqual([sale(1, { numbered: true })]);
    expect(takeBatch(queue, 250)).toEqual([sale(1, { alone: true })]);
    expect(takeBatch(queue, 250)).toEqual([sale()]);
  });

  it('lets a head larger than the limit through alone, so the queue never stalls', () => {
    const queue = [sale(300), sale()];
    expect(takeBatch(queue, 250).map((item) => item.vouchers)).toEqual([300]);
  });
});

describe('topUp: what joins a batch while it waits for its lane', () => {
  it('appends what fits after the batch, by the same rules, and stops at a request that goes alone', () => {
    const batch = [sale(2)];
    const queue = [sale(1), sale(2), sale(1, { alone: true }), sale()];
    expect(topUp(batch, queue, 5).map((item) => item.vouchers)).toEqual([1, 2]);
    expect(batch.map((item) => item.vouchers)).toEqual([2, 1, 2]);
    expect(queue).toEqual([sale(1, { alone: true }), sale()]);
  });

  it('cuts at FECompTotXRequest, counting the vouchers already in the batch', () => {
    const batch = Array.from({ length: 240 }, () => sale());
    const queue = Array.from({ length: 20 }, () => sale());
    expect(topUp(batch, queue, 250)).toHaveLength(10);
    expect(batch).toHaveLength(250);
    expect(queue).toHaveLength(10);
  });

  it('adds nothing to a request that goes alone, or to a POS-numbered one', () => {
    for (const head of [sale(1, { alone: true }), sale(1, { numbered: true })]) {
      const batch = [head];
      const queue = [sale(), sale()];
      expect(topUp(batch, queue, 250)).toEqual([]);
      expect(batch).toEqual([head]);
      expect(queue).toHaveLength(2);
    }
  });
});

describe("splitResult: ARCA's answer to a batch, dealt back to its requests", () => {
  it('gives each request the slice of its own vouchers', () => {
    const parts = splitResult(result([answer('A', 5), answer('A', 6), answer('A', 7)]), [1, 2]);
    expect(parts.map((part) => part.kind)).toEqual(['answered', 'answered']);
    const [first, second] = parts as { kind: 'answered'; result: FECAEResponse }[];
    expect(first!.result.FeDetResp.map((item) => item.CbteDesde)).toEqual([5]);
    expect(second!.result.FeDetResp.map((item) => item.CbteDesde)).toEqual([6, 7]);
    expect(second!.result.FeCabResp).toMatchObject({ CantReg: 2, Resultado: 'A' });
    expect(second!.result.Events).toEqual([{ Code: 10247, Msg: 'an event for everyone' }]);
  });

  it('reports as rejected only the request ARCA rejected; those after it were not processed', () => {
    const answered = result(
      [answer('A', 5), answer('R', 6, true), answer('R', 7), answer('R', 8)],
      [{ Code: 10048, Msg: 'ImpTotal' }],
    );
    const parts = splitResult(answered, [1, 1, 1, 1]);
    expect(parts.map((part) => part.kind)).toEqual([
      'answered',
      'answered',
      'not-processed',
      'not-processed',
    ]);
    const rejected = parts[1] as { kind: 'answered'; result: FECAEResponse };
    expect(rejected.result.FeCabResp?.Resultado).toBe('R');
    expect(rejected.result.Errors).toEqual([{ Code: 10048, Msg: 'ImpTotal' }]);
    expect((parts[0] as { result: FECAEResponse }).result.Errors).toEqual([]);
  });

  it("keeps a request's own vouchers together: a rejection inside it makes it partial, not split", () => {
    const parts = splitResult(
      result([answer('A', 5), answer('A', 6), answer('R', 7, true), answer('R', 8)]),
      [1, 3],
    );
    expect(parts.map((part) => part.kind)).toEqual(['answered', 'answered']);
    expect((parts[1] as { result: FECAEResponse }).result.FeCabResp?.Resultado).toBe('P');
  });

  it('answers every request with a refusal of the whole call for its numbering', () => {
    const refused = result([answer('R', 9), answer('R', 10)], [{ Code: 10016, Msg: 'numbering' }]);
    expect(isNumberingRefusal(refused)).toBe(true);
    expect(isNumberingRefusal(result([answer('A', 9)], [{ Code: 10016, Msg: 'x' }]))).toBe(false);
    const parts = splitResult(refused, [1, 1], true);
    expect(parts.map((part) => part.kind)).toEqual(['answered', 'answered']);
    for (const part of parts as { result: FECAEResponse }[]) expect(part.result.Errors[0]?.Code).toBe(10016);
  });
});
