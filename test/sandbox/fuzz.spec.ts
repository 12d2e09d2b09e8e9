import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callWsfe,
  type Credentials,
  FEV1,
  login,
  startTestSandbox,
  type TestSandbox,
  wsfeEnvelope,
} from '#libs/testing';

/** A small seeded PRNG (mulberry32) so that a failing run can be replayed with its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPERATIONS = [
  'FECAESolicitar',
  'FECompUltimoAutorizado',
  'FECompConsultar',
  'FEParamGetCotizacion',
  'FECAEASolicitar',
  'FEDummy',
  'Nope',
];
const VALUES = [
  '',
  '-1',
  '0',
  '1',
  '99999999999999999999999',
  '1e309',
  'NaN',
  'x'.repeat(5000),
  '<![CDATA[<x>]]>',
  '&amp;',
  '2021-02-30',
  '１２３',
  '3.14159265358979',
];
const FIELDS = [
  'PtoVta',
  'CbteTipo',
  'CantReg',
  'CbteDesde',
  'ImpTotal',
  'MonId',
  'Periodo',
  'Orden',
  'CbteFch',
  'Token',
  'Cuit',
  'Iva',
  'AlicIva',
];

describe('sandbox under random garbage', () => {
  let sandbox: TestSandbox;
  let credentials: Credentials;
  const log: string[] = [];
  const seed = Number(process.env.FUZZ_SEED ?? 20261123);
  beforeAll(async () => {
    sandbox = await startTestSandbox({ log: (line) => log.push(line) });
    credentials = await login(sandbox);
  });
  afterAll(() => sandbox.stop());

  it(`survives 10,000 malformed requests (seed ${seed}) and still answers FEDummy`, async () => {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const garbage = (): { url: string; body: string; headers: Record<string, string> } => {
      const operation = pick(OPERATIONS);
      const url = next() < 0.2 ? sandbox.wsaaUrl : sandbox.wsfeUrl;
      const headers: Record<string, string> = {
        'content-type': pick(['text/xml', 'application/soap+xml', 'application/json', '']),
      };
      if (next() < 0.7)
        headers.SOAPAction = pick([`"${FEV1}${operation}"`, '""', '"garbage"', `${FEV1}${operation}`]);
      const fields = Array.from(
        { length: Math.floor(next() * 6) },
        () => `<${pick(FIELDS)}>${pick(VALUES)}</${pick(FIELDS)}>`,
      ).join('');
      const valid = wsfeEnvelope(operation, fields, next() < 0.5 ? credentials : undefined);
      switch (Math.floor(next() * 6)) {
        case 0:
          return {
            url,
            headers,
            body: Array.from({ length: Math.floor(next() * 300) }, () =>
              String.fromCharCode(Math.floor(next() * 0xffff)),
            ).join(''),
          };
        case 1:
          return { url, headers, body: valid.slice(0, Math.floor(next() * valid.length)) };
        case 2:
          return { url, headers, body: valid.replace(FEV1, pick(['', 'urn:wrong', FEV1.toUpperCase()])) };
        case 3:
          return {
            url,
            headers,
            body: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "${'b'.repeat(100)}">]><x>&a;&a;&a;</x>`,
          };
        case 4:
          return {
            url: sandbox.wsaaUrl,
            headers,
            body: valid.replace(operation, 'loginCms').replace(fields, `<in0>${pick(VALUES)}</in0>`),
          };
        default:
          return { url, headers, body: valid };
      }
    };
    const statuses = new Map<number, number>();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 10_000) {
          sent += 1;
          const request = garbage();
          const response = await fetch(request.url, {
            method: 'POST',
            headers: request.headers,
            body: request.body,
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    expect(
      [...statuses.keys()].every((status) => [200, 400, 500].includes(status)),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
    expect(log.filter((line) => line.includes('internal error'))).toEqual([]);
    const dummy = await callWsfe(sandbox, 'FEDummy', '');
    expect(dummy.status).toBe(200);
    expect(dummy.text).toContain('<AppServer>OK</AppServer>');
  }, 120_000);
});
