import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SchemaCodec, SoapTransport } from '#libs/afip-soap';
import { type FECAEDetRequest, type WsfeAuth, WsfeClient, WsfeError } from '#libs/afip-wsfe';
import { login, startTestSandbox, type TestSandbox, WSDL_DIR } from '#libs/testing';
import { today } from './wsfe-support.js';

const CUIT = 20777777778;

function voucher(nro: number, fch: string, overrides: Partial<FECAEDetRequest> = {}): FECAEDetRequest {
  return {
    Concepto: 1,
    DocTipo: 96,
    DocNro: 12345678,
    CbteDesde: nro,
    CbteHasta: nro,
    CbteFch: fch,
    ImpTotal: 1210,
    ImpTotConc: 0,
    ImpNeto: 1000,
    ImpOpEx: 0,
    ImpTrib: 0,
    ImpIVA: 210,
    MonId: 'PES',
    MonCotiz: 1,
    CondicionIVAReceptorId: 5,
    Iva: [{ Id: 5, BaseImp: 1000, Importe: 210 }],
    ...overrides,
  };
}

describe('WsfeClient (libs/afip-wsfe) against the sandbox', () => {
  let sandbox: TestSandbox;
  let auth: WsfeAuth;
  const transport = new SoapTransport();
  let client: WsfeClient;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const credentials = await login(sandbox, String(CUIT));
    auth = { Token: credentials.token, Sign: credentials.sign, Cuit: CUIT };
    const codec = SchemaCodec.fromWsdl(readFileSync(join(WSDL_DIR, 'wsfev1.wsdl'), 'utf8'));
    client = new WsfeClient({ url: sandbox.wsfeUrl, transport, codec, timeoutMs: 1000 });
  });
  beforeEach(async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
  });
  afterAll(async () => {
    transport.close();
    await sandbox.stop();
  });

  const fault = (operation: string, kind: string) =>
    fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'wsfe', operation, kind, count: 1 }),
    });

  it('authorizes, reads the last number and consults, with typed answers and arrays always arrays', async () => {
    expect(await client.dummy()).toEqual({ AppServer: 'OK', DbServer: 'OK', AuthServer: 'OK' });
    expect(await client.lastAuthorized(auth, 1, 6)).toBe(0);
    const result = await client.authorize(auth, {
      FeCabReq: { CantReg: 1, PtoVta: 1, CbteTipo: 6 },
      FeDetReq: [voucher(1, today(sandbox))],
    });
    expect(result.FeCabResp?.Resultado).toBe('A');
    expect(result.Errors).toEqual([]);
    expect(result.Events).toEqual([]);
    expect(result.FeDetResp).toHaveLength(1);
    expect(result.FeDetResp[0]).toMatchObject({ Resultado: 'A', CbteDesde: 1, Observaciones: [] });
    expect(result.FeDetResp[0]?.CAE).toMatch(/^\d{14}$/);
    expect(await client.lastAuthorized(auth, 1, 6)).toBe(1);
    const found = await client.consult(auth, 6, 1, 1);
    expect(found).toMatchObject({
      CodAutorizacion: result.FeDetResp[0]?.CAE,
      ImpTotal: 1210,
      Iva: [{ Id: 5, BaseImp: 1000, Importe: 210 }],
    });
    expect(await client.consult(auth, 6, 1, 99)).toBeUndefined();
    expect(await client.maxRecords(auth)).toBe(250);
    expect((await client.params(auth, 'FEParamGetTiposIva')).map((row) => row.Id)).toEqual([
      '3',
      '4',
      '5',
      '6',
      '8',
      '9',
    ]);
  });

  it("returns ARCA's rejection as a result, not an exception", async () => {
    const result = await client.authorize(auth, {
      FeCabReq: { CantReg: 1, PtoVta: 2, CbteTipo: 6 },
      FeDetReq: [voucher(5, today(sandbox))],
    });
    expect(result.FeCabResp?.Resultado).toBe('R');
    expect(result.Errors.map((error) => error.Code)).toEqual([10016]);
  });

  it.each<[string, string, string, 'transient' | 'unknown-outcome']>([
    ['a reset on FECAESolicitar', 'FECAESolicitar', 'reset', 'unknown-outcome'],
    ['no answer to FECAESolicitar', 'FECAESolicitar', 'hang', 'unknown-outcome'],
    ['an answer dropped after authorizing', 'FECAESolicitar', 'authorize-then-drop', 'unknown-outcome'],
    ['an answer cut in half after authorizing', 'FECAESolicitar', 'authorize-then-garble', 'unknown-outcome'],
    ['an answer cut in half to a read', 'FECompUltimoAutorizado', 'authorize-then-garble', 'transient'],
    ['HTTP 503 on FECAESolicitar', 'FECAESolicitar', 'http503', 'transient'],
    ['a reset on FECompUltimoAutorizado', 'FECompUltimoAutorizado', 'reset', 'transient'],
  ])('classifies %s as %s', async (_name, operation, kind, expected) => {
    await fault(operation, kind);
    const attempt =
      operation === 'FECAESolicitar'
        ? client.authorize(auth, {
            FeCabReq: { CantReg: 1, PtoVta: 3, CbteTipo: 6 },
            FeDetReq: [voucher(1, today(sandbox))],
          })
        : client.lastAuthorized(auth, 3, 6);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsfeError);
    expect((error as WsfeError).kind).toBe(expected);
    if (operation === 'FECAESolicitar' && kind.startsWith('authorize-then-'))
      expect(await client.lastAuthorized(auth, 3, 6)).toBe(1);
  });

  it('classifies a refused ticket as auth', async () => {
    const forged = { ...auth, Sign: Buffer.alloc(128, 7).toString('base64') };
    await expect(client.lastAuthorized(forged, 1, 6)).rejects.toMatchObject({
      kind: 'auth',
      errors: [{ Code: 600 }],
    });
    await expect(
      client.authorize(forged, {
        FeCabReq: { CantReg: 1, PtoVta: 1, CbteTipo: 6 },
        FeDetReq: [voucher(2, today(sandbox))],
      }),
    ).rejects.toMatchObject({ kind: 'auth' });
  });
});
