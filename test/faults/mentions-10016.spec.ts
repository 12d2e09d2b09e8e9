import { describe, expect, it } from 'vitest';
import { mentions10016 } from './pos-fleet.js';

describe("the fault suite's 10016 detector", () => {
  it("sees ARCA's 10016 in errors, observations, details and messages", () => {
    expect(mentions10016(JSON.stringify({ errors: [{ code: 10016, msg: 'x' }] }))).toBe(true);
    expect(
      mentions10016(JSON.stringify({ invoices: [{ observaciones: [{ code: 10016, msg: 'x' }] }] })),
    ).toBe(true);
    expect(mentions10016(JSON.stringify({ details: [{ field: 'f', rule: '10016', message: 'm' }] }))).toBe(
      true,
    );
    expect(
      mentions10016(JSON.stringify({ message: 'CbteFch may not be before 20261120 (ARCA 10016)' })),
    ).toBe(true);
  });

  it('ignores the digits inside a CAE or a QR', () => {
    const authorized = {
      errors: [],
      invoices: [{ cae: '71001623456789', qr: { url: 'p=eyJ10016x' } }],
      message: undefined,
    };
    expect(mentions10016(JSON.stringify(authorized))).toBe(false);
  });
});
