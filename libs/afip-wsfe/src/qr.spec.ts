import { describe, expect, it } from 'vitest';
import { decodeQrUrl, qrPayload, qrUrl } from './qr.js';

describe('RG 4892 QR', () => {
  it("reproduces the specification's own example, field for field and in order", () => {
    const payload = qrPayload({
      cuit: 30000000007,
      ptoVta: 10,
      cbteTipo: 1,
      cbteNro: 94,
      cbteFch: '20201013',
      impTotal: 12100,
      monId: 'DOL',
      monCotiz: 65,
      docTipo: 80,
      docNro: 20000000001,
      codAut: '70417054367476',
      authorizationType: 'CAE',
    });
    expect(JSON.stringify(payload)).toBe(
      '{"ver":1,"fecha":"2020-10-13","cuit":30000000007,"ptoVta":10,"tipoCmp":1,"nroCmp":94,"importe":12100,' +
        '"moneda":"DOL","ctz":65,"tipoDocRec":80,"nroDocRec":20000000001,"tipoCodAut":"E","codAut":70417054367476}',
    );
    const url = qrUrl(payload);
    expect(url).toMatch(/^https:\/\/www\.afip\.gob\.ar\/fe\/qr\/\?p=[A-Za-z0-9+/]+={0,2}$/);
    expect(decodeQrUrl(url)).toEqual(payload);
  });

  it('leaves out the receiver of an anonymous consumer and marks CAEA vouchers with A', () => {
    const payload = qrPayload({
      cuit: 20123456789,
      ptoVta: 1,
      cbteTipo: 6,
      cbteNro: 7,
      cbteFch: '20261123',
      impTotal: 1210.5,
      monId: 'PES',
      monCotiz: 1,
      docTipo: 99,
      docNro: 0,
      codAut: '71234567890123',
      authorizationType: 'CAEA',
    });
    expect(payload).not.toHaveProperty('tipoDocRec');
    expect(payload).not.toHaveProperty('nroDocRec');
    expect(payload.tipoCodAut).toBe('A');
    expect(payload.importe).toBe(1210.5);
  });
});
