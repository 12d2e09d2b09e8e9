import { describe, expect, it } from 'vitest';
import { type AppError } from '../../common/app-error.js';
import type { InvoiceDetailDto } from '../invoice-detail.dto.js';
import { dateDetails, type Dating } from './lane-dates.js';

const KEY = { environment: 'sandbox', cuit: 20123456789, ptoVta: 2, cbteTipo: 6 };
const TODAY = '20261125';

function product(CbteFch?: string): InvoiceDetailDto {
  return { Concepto: 1, ...(CbteFch ? { CbteFch } : {}) } as InvoiceDetailDto;
}

function service(CbteFch?: string, FchVtoPago = '20261231'): InvoiceDetailDto {
  return { Concepto: 2, FchVtoPago, ...(CbteFch ? { CbteFch } : {}) } as InvoiceDetailDto;
}

function refusal(dating: Dating): AppError {
  if (!('error' in dating)) throw new Error(`expected a refusal, got ${JSON.stringify(dating)}`);
  return dating.error;
}

describe('the dates a lane sends vouchers with', () => {
  it('dates an undated voucher today on a lane dated today or before', () => {
    expect(dateDetails(KEY, [product()], TODAY, { number: 4, date: '20261120' }, false)).toEqual({
      dates: [TODAY],
    });
    expect(dateDetails(KEY, [product()], TODAY, { number: 0 }, false)).toEqual({ dates: [TODAY] });
  });

  it("dates an undated voucher on the lane's later date when the concept's window reaches it", () => {
    // Products: up to N+5 within the month; services: up to N+10.
    expect(dateDetails(KEY, [product()], TODAY, { number: 4, date: '20261130' }, false)).toEqual({
      dates: ['20261130'],
    });
    expect(dateDetails(KEY, [service()], TODAY, { number: 4, date: '20261205' }, false)).toEqual({
      dates: ['20261205'],
    });
  });

  it("refuses an undated voucher whose window does not reach the lane's date, naming both dates", () => {
    const error = refusal(dateDetails(KEY, [product()], TODAY, { number: 4, date: '20261201' }, false));
    expect(error.code).toBe('LANE_DATE_BLOCKED');
    expect(error.details).toEqual({
      field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteFch',
      lastCbteNro: 4,
      lastCbteFch: '20261201',
      acceptsFrom: '20261201',
    });
    expect(error.message).toContain('number 4, is dated 20261201');
    expect(error.message).toContain('may be dated at most 20261130 today');
    expect(error.message).toContain('issue it on another point of sale');
    // Services reach N+10, not further.
    const far = refusal(dateDetails(KEY, [service()], TODAY, { number: 4, date: '20261206' }, false));
    expect(far.code).toBe('LANE_DATE_BLOCKED');
  });

  it("refuses a dated voucher before the lane's date, even with the header", () => {
    const error = refusal(
      dateDetails(KEY, [product('20261124')], TODAY, { number: 9, date: '20261125' }, true),
    );
    expect(error.code).toBe('LANE_DATE_BLOCKED');
    expect(error.details).toMatchObject({ lastCbteFch: '20261125', acceptsFrom: '20261125' });
  });

  it("takes a voucher dated after today and after the lane's date only with the request's consent", () => {
    const tip = { number: 9, date: '20261125' };
    const error = refusal(dateDetails(KEY, [service('20261130')], TODAY, tip, false));
    expect(error.code).toBe('DATE_ADVANCE_NOT_ALLOWED');
    expect(error.details).toEqual({
      field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.CbteFch',
      cbteFch: '20261130',
      today: TODAY,
      lastCbteFch: '20261125',
    });
    expect(error.message).toContain('Allow-Date-Advance: true');
    expect(dateDetails(KEY, [service('20261130')], TODAY, tip, true)).toEqual({ dates: ['20261130'] });
  });

  it("does not call the lane's own later date an advance", () => {
    expect(dateDetails(KEY, [service('20261203')], TODAY, { number: 9, date: '20261203' }, false)).toEqual({
      dates: ['20261203'],
    });
    // A past date on a lane dated before it is not an advance either.
    expect(dateDetails(KEY, [product('20261122')], TODAY, { number: 9, date: '20261120' }, false)).toEqual({
      dates: ['20261122'],
    });
  });

  it('refuses to date a service after its FchVtoPago (ARCA 10035)', () => {
    const error = refusal(
      dateDetails(KEY, [service(undefined, '20261201')], TODAY, { number: 9, date: '20261203' }, false),
    );
    expect(error.code).toBe('LANE_DATE_BLOCKED');
    expect(error.details).toMatchObject({ field: 'FeCAEReq.FeDetReq.FECAEDetRequest.0.FchVtoPago' });
  });

  it("dates a request's undated details after its dated ones", () => {
    expect(
      dateDetails(KEY, [service('20261128'), service()], TODAY, { number: 9, date: '20261120' }, true),
    ).toEqual({ dates: ['20261128', '20261128'] });
  });
});
