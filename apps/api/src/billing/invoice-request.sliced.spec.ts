import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.js';
import { createValidationPipe } from '../common/validation.js';
import { CreateInvoiceDto, INVOICE_EXAMPLE, SLICED_DETAILS } from './invoice-request.dto.js';

const detail = INVOICE_EXAMPLE.FeCAEReq.FeDetReq.FECAEDetRequest;

function body(count: number, change: (details: Record<string, unknown>[]) => void = () => undefined) {
  const details: Record<string, unknown>[] = Array.from({ length: count }, (_, index) => ({
    ...detail,
    CbteDesde: index + 1,
    CbteHasta: index + 1,
  }));
  change(details);
  return {
    ...INVOICE_EXAMPLE,
    FeCAEReq: {
      FeCabReq: { ...INVOICE_EXAMPLE.FeCAEReq.FeCabReq, CantReg: count },
      FeDetReq: { FECAEDetRequest: details },
    },
  };
}

/** The pipe's answer: the DTO it made, or the error it threw (code, message, details). */
async function answer(sliced: boolean, value: unknown) {
  const pipe = createValidationPipe(sliced ? [SLICED_DETAILS] : []);
  try {
    return { value: await pipe.transform(value, { type: 'body', metatype: CreateInvoiceDto }) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
}

describe('vouchers validated ten at a time', () => {
  it.each([
    ['a valid body of 11 vouchers', body(11)],
    ['a valid body of 250 vouchers', body(250)],
    [
      'problems in the first slice, later slices and the header',
      {
        ...body(250, (details) => {
          details[3]!.ImpTotal = 'a lot';
          details[17]!.MonId = 7;
          details[123]!.Unknown = true;
          details[249]!.Iva = { AlicIva: { Id: 5, BaseImp: -1, Importe: 'x' } };
        }),
        Auth: { Cuit: 1 },
      },
    ],
    ['an item that is not an object (validated whole)', body(40, (details) => (details[30] = 5 as never))],
    ['more vouchers than accepted (validated whole)', body(1001)],
    ['an unknown field beside the vouchers', { ...body(30), Extra: 1 }],
  ])('answers %s exactly as whole validation does', async (_, value) => {
    const whole = await answer(false, value);
    const sliced = await answer(true, value);
    expect(sliced).toEqual(whole);
    if ('value' in whole) {
      const vouchers = (sliced.value as CreateInvoiceDto).FeCAEReq.FeDetReq.FECAEDetRequest;
      expect(vouchers.every((voucher) => voucher.constructor.name === 'InvoiceDetailDto')).toBe(true);
    }
  });

  it('lets the event loop turn between slices of a long body, and not for a short one', async () => {
    const turnsDuring = async (value: unknown) => {
      let turns = 0;
      let running = true;
      const tick = () => {
        if (!running) return;
        turns += 1;
        setImmediate(tick);
      };
      setImmediate(tick);
      await createValidationPipe([SLICED_DETAILS]).transform(value, {
        type: 'body',
        metatype: CreateInvoiceDto,
      });
      running = false;
      return turns;
    };
    expect(await turnsDuring(body(250))).toBeGreaterThanOrEqual(24);
    expect(await turnsDuring(body(10))).toBe(0);
  });
});
