import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ivaCondition, PadronClient, PadronError } from '#libs/afip-padron';
import { SchemaCodec, SoapTransport } from '#libs/afip-soap';
import {
  type Credentials,
  login,
  postSoap,
  startTestSandbox,
  type TestSandbox,
  WSDL_DIR,
} from '#libs/testing';

const ISSUER = 20123456789;

describe('the sandbox registry (ws_sr_constancia_inscripcion) through the project client', () => {
  let sandbox: TestSandbox;
  let credentials: Credentials;
  const transport = new SoapTransport();
  let client: PadronClient;
  const auth = () => ({ token: credentials.token, sign: credentials.sign, cuitRepresentada: ISSUER });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    credentials = await login(sandbox, String(ISSUER), 'ws_sr_constancia_inscripcion');
    const codec = SchemaCodec.fromWsdl(
      readFileSync(join(WSDL_DIR, 'ws_sr_constancia_inscripcion.wsdl'), 'utf8'),
    );
    client = new PadronClient({ url: sandbox.padronUrl, transport, codec });
  });
  afterAll(async () => {
    transport.close();
    await sandbox.stop();
  });

  it("answers each stand-in with the IVA condition ARCA's blocks show", async () => {
    const conditions: Record<number, number | null> = {};
    for (const cuit of [20123456789, 30712345671, 20111111112, 30500000003, 27222222228, 30000000007]) {
      const persona = await client.persona(auth(), cuit);
      expect(persona.datosGenerales?.idPersona).toBe(cuit);
      expect(persona.metadata?.fechaHora).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-03:00$/);
      conditions[cuit] = ivaCondition(persona).id;
    }
    expect(conditions).toEqual({
      20123456789: 1,
      30712345671: 1,
      20111111112: 6,
      30500000003: 4,
      27222222228: null,
      30000000007: 6,
    });
    const company = await client.persona(auth(), 30712345671);
    expect(company.datosRegimenGeneral?.actividad?.map((item) => item.orden)).toEqual([1, 2, 3]);
    expect(company.datosGenerales?.domicilioFiscal?.localidad).toBe('CORDOBA');
  });

  it('faults an unknown person, and lists it as errorConstancia without failing the list', async () => {
    const unknown = await client.persona(auth(), 30600000000).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(PadronError);
    expect(unknown).toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('No existe persona con ese Id'),
    });
    const list = await client.personas(auth(), [30712345671, 30600000000]);
    expect(
      list.map((persona) => persona.datosGenerales?.idPersona ?? persona.errorConstancia?.idPersona),
    ).toEqual([30712345671, 30600000000]);
    expect(list[1]?.errorConstancia?.error).toEqual(['No existe persona con ese Id']);
  });

  it("refuses a WSFEv1 ticket, another CUIT and a forged sign, in ARCA's words", async () => {
    const wsfe = await login(sandbox, String(ISSUER));
    const refusals = await Promise.all(
      [
        client.persona({ token: wsfe.token, sign: wsfe.sign, cuitRepresentada: ISSUER }, 30712345671),
        client.persona({ ...auth(), cuitRepresentada: 30712345671 }, 30712345671),
        client.persona({ ...auth(), sign: Buffer.from('forged').toString('base64') }, 30712345671),
        client.persona({ ...auth(), token: '' }, 30712345671),
      ].map((call) =>
        call.then(
          () => new PadronError('transient', 'answered'),
          (error: unknown) => error as PadronError,
        ),
      ),
    );
    expect(refusals.map((error) => [error.kind, error.message.replace(/^getPersona_v2: /, '')])).toEqual([
      ['auth', 'No autorizado, par token/sign invalido.'],
      ['auth', 'Este token no le permite actuar en representacion de la CUIT 30712345671'],
      ['auth', 'No se pudo verificar que <sign> contenga una firma valida de <token>'],
      ['auth', 'Token malformado'],
    ]);
  });

  it('speaks the registry dialect: HTTP 500 faults, SOAP 1.1 only, unqualified children, dummy without a ticket', async () => {
    expect(await client.dummy()).toEqual({ appserver: 'OK', authserver: 'OK', dbserver: 'OK' });
    const missing = await postSoap(
      sandbox.padronUrl,
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a5="http://a5.soap.ws.server.puc.sr/">' +
        '<soapenv:Body><a5:getPersona_v2><cuitRepresentada>1</cuitRepresentada><idPersona>2</idPersona></a5:getPersona_v2></soapenv:Body></soapenv:Envelope>',
    );
    expect(missing.status).toBe(500);
    expect(missing.text).toContain('<faultstring>Falta token y/o sign.</faultstring>');
    expect(missing.text).toContain('SRValidationException');
    const soap12 = await postSoap(
      sandbox.padronUrl,
      '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><a5:dummy xmlns:a5="http://a5.soap.ws.server.puc.sr/"/></env:Body></env:Envelope>',
      { 'content-type': 'application/soap+xml' },
    );
    expect(soap12.status).toBe(500);
    expect(soap12.text).toContain('VersionMismatch');
    const wsdl = await fetch(`${sandbox.padronUrl}?wsdl`);
    expect(await wsdl.text()).toContain(`location="${sandbox.padronUrl}"`);
  });
});
